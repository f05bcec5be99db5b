import { z } from "zod";
import {
  metadataSchema,
  metadataSchemaV1,
  responseFormatSchema,
  toolResourcesSchema,
  v1ToolSchema,
  v2ToolSchema,
} from "../../domain/request-schemas.js";

const reasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullable().optional();

const common = {
  name: z.string().max(256).nullable().optional(),
  description: z.string().max(512).nullable().optional(),
  instructions: z.string().max(256000).nullable().optional(),
};

export const createAssistantSchemaV2 = z.strictObject({
  ...common,
  metadata: metadataSchema.optional(),
  model: z.string().min(1),
  reasoning_effort: reasoningEffort,
  tools: z.array(v2ToolSchema).max(128).optional(),
  tool_resources: toolResourcesSchema.optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  response_format: responseFormatSchema.nullable().optional(),
});

export const modifyAssistantSchemaV2 = createAssistantSchemaV2.partial();

export const createAssistantSchemaV1 = z.strictObject({
  ...common,
  metadata: metadataSchemaV1.optional(),
  model: z.string().min(1),
  tools: z.array(v1ToolSchema).max(128).optional(),
  file_ids: z.array(z.string()).max(20).optional(),
});

export const modifyAssistantSchemaV1 = createAssistantSchemaV1.partial();

type V2Fields = z.output<typeof modifyAssistantSchemaV2>;
type V1Fields = z.output<typeof modifyAssistantSchemaV1>;

/** The fields either version may set; v1 and v2 differ only in tool names and file fields. */
export type AssistantFields = Omit<V2Fields, "tools"> & Pick<V1Fields, "file_ids"> & { tools?: (NonNullable<V2Fields["tools"]>[number] | NonNullable<V1Fields["tools"]>[number])[] };
