import { z } from "zod";

/** Request fragments shared by several resources, following the spec's schemas and documented limits. */

/**
 * A custom issue for an object with too many keys. JSON Schema's `maxProperties` has no zod counterpart;
 * the HTTP layer words it as the hosted API did from `params.maxProperties`.
 */
export function maxProperties<T extends object>(maximum: number) {
  return (value: T, context: z.RefinementCtx) => {
    if (Object.keys(value).length > maximum) {
      context.addIssue({ code: "custom", message: `at most ${maximum} properties`, params: { maxProperties: maximum } });
    }
  };
}

const metadataKey = z.string().max(64);
const metadataValue = z.string().max(512);

/** The spec's `Metadata`: at most 16 pairs, keys up to 64 characters, string values up to 512 (its description). */
export const metadataSchema = z.record(metadataKey, metadataValue).superRefine(maxProperties(16)).nullable();

/**
 * v1's metadata was an untyped map, and v1 clients send numbers and booleans (`{ official: false }`):
 * they are kept as the strings v2 clients read back (`"false"`), under the same limits.
 */
export const metadataSchemaV1 = z
  .record(metadataKey, z.union([z.string(), z.number(), z.boolean()]).transform(String).pipe(metadataValue))
  .superRefine(maxProperties(16))
  .nullable();

/** Hosted capped these at 256,000 characters; an empty message was refused. */
const messageText = z.string().min(1).max(256_000);

/** Hosted refused threads created with more than 32 messages; runs' `additional_messages` get the same cap. */
export const MAX_MESSAGES_PER_REQUEST = 32;

// Length and pattern separately, so each gets its own error as hosted.
const functionName = z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/);

export const rankingOptionsSchema = z.strictObject({
  ranker: z.enum(["auto", "default_2024_08_21"]).optional(),
  score_threshold: z.number().min(0).max(1),
});

export const functionToolSchema = z.strictObject({
  type: z.literal("function"),
  function: z.strictObject({
    name: functionName,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const codeInterpreterToolSchema = z.strictObject({ type: z.literal("code_interpreter") });

export const fileSearchToolSchema = z.strictObject({
  type: z.literal("file_search"),
  file_search: z
    .strictObject({
      max_num_results: z.number().int().min(1).max(50).optional(),
      ranking_options: rankingOptionsSchema.optional(),
    })
    .optional(),
});

/** v1's name for file search; stored as `file_search` and shown back as `retrieval` to v1 clients. */
export const retrievalToolSchema = z.strictObject({ type: z.literal("retrieval") });

export const v2ToolSchema = z.discriminatedUnion("type", [codeInterpreterToolSchema, fileSearchToolSchema, functionToolSchema]);
export const v1ToolSchema = z.discriminatedUnion("type", [codeInterpreterToolSchema, retrievalToolSchema, functionToolSchema]);

export const vectorStoreHelperSchema = z.strictObject({
  file_ids: z.array(z.string()).max(10000).optional(),
  chunking_strategy: z.unknown().optional(),
  metadata: metadataSchema.optional(),
});

export const toolResourcesSchema = z
  .strictObject({
    code_interpreter: z.strictObject({ file_ids: z.array(z.string()).max(20).optional() }).optional(),
    file_search: z
      .strictObject({
        vector_store_ids: z.array(z.string()).max(1).optional(),
        vector_stores: z.array(vectorStoreHelperSchema).max(1).optional(),
      })
      .refine(
        (fileSearch) => !(fileSearch.vector_store_ids && fileSearch.vector_stores),
        "give either vector_store_ids or vector_stores, not both",
      )
      .optional(),
  })
  .nullable();

export const responseFormatSchema = z.union([
  z.literal("auto"),
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    json_schema: z.strictObject({
      name: functionName,
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.strictObject({ type: z.literal("function"), function: z.strictObject({ name: functionName }) }),
  z.strictObject({ type: z.enum(["code_interpreter", "file_search"]) }),
]);

export const truncationStrategySchema = z.strictObject({
  type: z.enum(["auto", "last_messages"]),
  last_messages: z.number().int().min(1).nullable().optional(),
});

const detail = z.enum(["auto", "low", "high"]).optional();

export const messageContentPartSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: messageText }),
  z.strictObject({ type: z.literal("image_file"), image_file: z.strictObject({ file_id: z.string(), detail }) }),
  z.strictObject({ type: z.literal("image_url"), image_url: z.strictObject({ url: z.url(), detail }) }),
]);

export const attachmentSchema = z.strictObject({
  file_id: z.string().min(1),
  tools: z.array(
    z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("code_interpreter") }),
      z.strictObject({ type: z.literal("file_search") }),
    ]),
  ),
});

export const messageRoleSchema = z.enum(["user", "assistant"]);

export const createMessageSchemaV2 = z.strictObject({
  role: messageRoleSchema,
  content: z.union([messageText, z.array(messageContentPartSchema).min(1)]),
  attachments: z.array(attachmentSchema).nullable().optional(),
  metadata: metadataSchema.optional(),
});

export const createMessageSchemaV1 = z.strictObject({
  role: messageRoleSchema,
  content: z.union([messageText, z.array(messageContentPartSchema).min(1)]),
  file_ids: z.array(z.string()).max(10).optional(),
  metadata: metadataSchemaV1.optional(),
});

export type CreateMessageRequest = z.output<typeof createMessageSchemaV2> | z.output<typeof createMessageSchemaV1>;
