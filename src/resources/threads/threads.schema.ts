import { z } from "zod";
import {
  createMessageSchemaV1,
  createMessageSchemaV2,
  MAX_MESSAGES_PER_REQUEST,
  metadataSchema,
  metadataSchemaV1,
  toolResourcesSchema,
} from "../../domain/request-schemas.js";

export const createThreadSchemaV2 = z.strictObject({
  messages: z.array(createMessageSchemaV2).max(MAX_MESSAGES_PER_REQUEST).optional(),
  tool_resources: toolResourcesSchema.optional(),
  metadata: metadataSchema.optional(),
});

export const createThreadSchemaV1 = z.strictObject({
  messages: z.array(createMessageSchemaV1).max(MAX_MESSAGES_PER_REQUEST).optional(),
  metadata: metadataSchemaV1.optional(),
});

export const modifyThreadSchema = z.strictObject({
  tool_resources: toolResourcesSchema.optional(),
  metadata: metadataSchema.optional(),
});

/** v1 threads had no tool resources. */
export const modifyThreadSchemaV1 = z.strictObject({ metadata: metadataSchemaV1.optional() });

export type CreateThreadRequest = z.output<typeof createThreadSchemaV2> | z.output<typeof createThreadSchemaV1>;
