import { z } from "zod";
import {
  createMessageSchemaV1,
  createMessageSchemaV2,
  metadataSchema,
  responseFormatSchema,
  toolChoiceSchema,
  toolResourcesSchema,
  truncationStrategySchema,
  v1ToolSchema,
  v2ToolSchema,
} from "../../domain/request-schemas.js";
import { createThreadSchemaV1, createThreadSchemaV2 } from "../threads/threads.schema.js";

const tokenLimit = z.number().int().min(256).nullable().optional();

const runOptions = {
  assistant_id: z.string().min(1),
  model: z.string().min(1).nullable().optional(),
  instructions: z.string().nullable().optional(),
  metadata: metadataSchema.optional(),
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
  additional_instructions: z.string().nullable().optional(),
  additional_messages: z.array(createMessageSchemaV2).nullable().optional(),
  tools: z.array(v2ToolSchema).max(128).nullable().optional(),
});

export const createRunSchemaV1 = z.strictObject({
  ...runOptions,
  additional_instructions: z.string().nullable().optional(),
  additional_messages: z.array(createMessageSchemaV1).nullable().optional(),
  tools: z.array(v1ToolSchema).max(128).nullable().optional(),
});

export const createThreadAndRunSchemaV2 = z.strictObject({
  ...runOptions,
  thread: createThreadSchemaV2.optional(),
  tools: z.array(v2ToolSchema).max(128).nullable().optional(),
  tool_resources: toolResourcesSchema.optional(),
});

export const createThreadAndRunSchemaV1 = z.strictObject({
  ...runOptions,
  thread: createThreadSchemaV1.optional(),
  tools: z.array(v1ToolSchema).max(128).nullable().optional(),
});

export const submitToolOutputsSchema = z.strictObject({
  tool_outputs: z.array(z.strictObject({ tool_call_id: z.string().min(1), output: z.string() })),
  stream: z.boolean().nullable().optional(),
});

export const modifyRunSchema = z.strictObject({ metadata: metadataSchema.optional() });

export const includeValues = ["step_details.tool_calls[*].file_search.results[*].content"] as const;

export type CreateRunRequest = z.output<typeof createRunSchemaV2> | z.output<typeof createRunSchemaV1>;
export type CreateThreadAndRunRequest = z.output<typeof createThreadAndRunSchemaV2> | z.output<typeof createThreadAndRunSchemaV1>;
