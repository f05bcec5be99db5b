import { z } from "zod";
import {
  createMessageSchemaV1,
  createMessageSchemaV2,
  metadataSchema,
  toolResourcesSchema,
} from "../../domain/request-schemas.js";

export const createThreadSchemaV2 = z.strictObject({
  messages: z.array(createMessageSchemaV2).optional(),
  tool_resources: toolResourcesSchema.optional(),
  metadata: metadataSchema.optional(),
});

export const createThreadSchemaV1 = z.strictObject({
  messages: z.array(createMessageSchemaV1).optional(),
  metadata: metadataSchema.optional(),
});

export const modifyThreadSchema = z.strictObject({
  tool_resources: toolResourcesSchema.optional(),
  metadata: metadataSchema.optional(),
});

export type CreateThreadRequest = z.output<typeof createThreadSchemaV2> | z.output<typeof createThreadSchemaV1>;
