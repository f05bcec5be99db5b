import { z } from "zod";
import {
  createMessageSchemaV1,
  createMessageSchemaV2,
  MAX_MESSAGES_PER_REQUEST,
  metadataSchema,
  metadataSchemaV1,
  responseFormatSchema,
  toolChoiceSchema,
  toolResourcesSchema,
  truncationStrategySchema,
  v1ToolSchema,
  v2ToolSchema,
} from "../../domain/request-schemas.js";
import { createThreadSchemaV1, createThreadSchemaV2 } from "../threads/threads.schema.js";

const tokenLimit = z.number().int().min(256).nullable().optional();
/** The spec leaves run instructions unbounded; they replace the assistant's, so they get its 256,000 cap. */
const instructions = z.string().max(256_000).nullable().optional();
/** The spec's limit for a run's tools (an assistant may have 128). */
const runTools = <T extends z.ZodType>(tool: T) => z.array(tool).max(20).nullable().optional();

const runOptions = {
  assistant_id: z.string().min(1),
  model: z.string().min(1).nullable().optional(),
  instructions,
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  max_prompt_tokens: tokenLimit,
  max_completion_tokens: tokenLimit,
  truncation_strategy: truncationStrategySchema.nullable().optional(),
  tool_choice: toolChoiceSchema.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  response_format: responseFormatSchema.nullable().optional(),
  reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]).nullable().optional(),
};

export const createRunSchemaV2 = z.strictObject({
  ...runOptions,
  metadata: metadataSchema.optional(),
  additional_instructions: instructions,
  additional_messages: z.array(createMessageSchemaV2).max(MAX_MESSAGES_PER_REQUEST).nullable().optional(),
  tools: runTools(v2ToolSchema),
});

export const createRunSchemaV1 = z.strictObject({
  ...runOptions,
  metadata: metadataSchemaV1.optional(),
  additional_instructions: instructions,
  additional_messages: z.array(createMessageSchemaV1).max(MAX_MESSAGES_PER_REQUEST).nullable().optional(),
  tools: runTools(v1ToolSchema),
});

export const createThreadAndRunSchemaV2 = z.strictObject({
  ...runOptions,
  metadata: metadataSchema.optional(),
  thread: createThreadSchemaV2.optional(),
  tools: runTools(v2ToolSchema),
  tool_resources: toolResourcesSchema.optional(),
});

export const createThreadAndRunSchemaV1 = z.strictObject({
  ...runOptions,
  metadata: metadataSchemaV1.optional(),
  thread: createThreadSchemaV1.optional(),
  tools: runTools(v1ToolSchema),
});

export const submitToolOutputsSchema = z.strictObject({
  tool_outputs: z.array(z.strictObject({ tool_call_id: z.string().min(1), output: z.string() })),
  stream: z.boolean().nullable().optional(),
});

export const modifyRunSchema = z.strictObject({ metadata: metadataSchema.optional() });
export const modifyRunSchemaV1 = z.strictObject({ metadata: metadataSchemaV1.optional() });

export const includeValues = ["step_details.tool_calls[*].file_search.results[*].content"] as const;

export type CreateRunRequest = z.output<typeof createRunSchemaV2> | z.output<typeof createRunSchemaV1>;
export type CreateThreadAndRunRequest = z.output<typeof createThreadAndRunSchemaV2> | z.output<typeof createThreadAndRunSchemaV1>;
