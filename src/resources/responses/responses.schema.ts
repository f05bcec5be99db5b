import { z } from "zod";
import { metadataSchema } from "../../domain/request-schemas.js";
import { includeValues, inputItemSchema, inputTextSchema } from "../conversations/input-items.schema.js";
import { codeInterpreterToolSchema } from "../containers/containers.schema.js";
import { attributeFilterSchema } from "../vector-stores/vector-stores.schema.js";

/** The spec's `CreateResponse` as far as Spool serves it; unknown (and not yet served) fields are refused. */

const name = z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/);

export const functionToolSchema = z.strictObject({
  type: z.literal("function"),
  name,
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

export const fileSearchToolSchema = z.strictObject({
  type: z.literal("file_search"),
  vector_store_ids: z.array(z.string().min(1)).min(1),
  max_num_results: z.number().int().min(1).max(50).optional(),
  ranking_options: z.strictObject({ ranker: z.enum(["auto", "default-2024-11-15"]).optional(), score_threshold: z.number().min(0).max(1).optional() }).optional(),
  filters: attributeFilterSchema.nullable().optional(),
});

const toolSchema = z.discriminatedUnion("type", [functionToolSchema, fileSearchToolSchema, codeInterpreterToolSchema]);

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.strictObject({ type: z.literal("function"), name }),
  z.strictObject({ type: z.literal("file_search") }),
  z.strictObject({ type: z.literal("code_interpreter") }),
]);

const textFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    name,
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
  }),
]);

const reasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
const summary = z.enum(["auto", "concise", "detailed"]);

/** Fields a response is created with that `input_tokens` takes as well. */
const modelInput = {
  model: z.string().min(1).nullable().optional(),
  input: z.union([z.string(), z.array(inputItemSchema)]).nullable().optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(toolSchema).max(128).nullable().optional(),
  tool_choice: toolChoiceSchema.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z.strictObject({ format: textFormatSchema.optional(), verbosity: z.enum(["low", "medium", "high"]).nullable().optional() }).nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  conversation: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1) })]).nullable().optional(),
  truncation: z.enum(["auto", "disabled"]).nullable().optional(),
  reasoning: z
    .strictObject({ effort: reasoningEffort.nullable().optional(), summary: summary.nullable().optional(), generate_summary: summary.nullable().optional() })
    .nullable()
    .optional(),
};

export const promptSchema = z.strictObject({
  id: z.string().min(1),
  version: z.string().nullable().optional(),
  variables: z.record(z.string(), z.union([z.string(), inputTextSchema])).nullable().optional(),
});

export const createResponseSchema = z.strictObject({
  ...modelInput,
  prompt: promptSchema.nullable().optional(),
  max_output_tokens: z.number().int().min(16).nullable().optional(),
  max_tool_calls: z.number().int().min(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  metadata: metadataSchema.optional(),
  store: z.boolean().nullable().optional(),
  background: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
  include: z.array(z.enum(includeValues)).nullable().optional(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
  prompt_cache_key: z.string().nullable().optional(),
  prompt_cache_retention: z.enum(["in_memory", "24h"]).nullable().optional(),
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"]).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
});

export const inputTokensSchema = z.strictObject(modelInput);

export type CreateResponseRequest = z.output<typeof createResponseSchema>;
export type InputTokensRequest = z.output<typeof inputTokensSchema>;
