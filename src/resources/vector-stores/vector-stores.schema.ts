import { z } from "zod";
import { maxProperties, metadataSchema } from "../../domain/request-schemas.js";
import type { AttributeFilter } from "../../vector/vector-index.js";

export const chunkingStrategySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auto") }),
  z.strictObject({
    type: z.literal("static"),
    static: z
      .strictObject({
        max_chunk_size_tokens: z.number().int().min(100).max(4096),
        chunk_overlap_tokens: z.number().int().min(0),
      })
      .superRefine((value, context) => {
        // The spec says so in words: the overlap must not exceed half of the chunk size.
        const maximum = Math.floor(value.max_chunk_size_tokens / 2);
        if (value.chunk_overlap_tokens <= maximum) return;
        context.addIssue({ code: "too_big", origin: "number", maximum, inclusive: true, input: value.chunk_overlap_tokens, path: ["chunk_overlap_tokens"], message: `at most ${maximum}` });
      }),
  }),
]);

export const attributesSchema = z
  .record(z.string().max(64), z.union([z.string().max(512), z.number(), z.boolean()]))
  .superRefine(maxProperties(16))
  .nullable();

const expiresAfterSchema = z.strictObject({ anchor: z.literal("last_active_at"), days: z.number().int().min(1).max(365) });

export const createVectorStoreSchema = z.strictObject({
  file_ids: z.array(z.string()).max(500).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  expires_after: expiresAfterSchema.optional(),
  chunking_strategy: chunkingStrategySchema.optional(),
  metadata: metadataSchema.optional(),
});

export const modifyVectorStoreSchema = z.strictObject({
  name: z.string().nullable().optional(),
  expires_after: expiresAfterSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});

export const createVectorStoreFileSchema = z.strictObject({
  file_id: z.string().min(1),
  chunking_strategy: chunkingStrategySchema.optional(),
  attributes: attributesSchema.optional(),
});

export const updateVectorStoreFileSchema = z.strictObject({ attributes: attributesSchema });

export const createFileBatchSchema = z
  .strictObject({
    file_ids: z.array(z.string().min(1)).min(1).max(2000).optional(),
    files: z.array(createVectorStoreFileSchema).min(1).max(2000).optional(),
    chunking_strategy: chunkingStrategySchema.optional(),
    attributes: attributesSchema.optional(),
  })
  .refine((batch) => (batch.file_ids === undefined) !== (batch.files === undefined), {
    message: "give exactly one of 'file_ids' or 'files'",
    path: ["file_ids"],
  });

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

const comparisonFilterSchema = z.strictObject({
  type: z.enum(["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"]),
  key: z.string(),
  value: z.union([attributeValue, z.array(attributeValue)]),
});

export const attributeFilterSchema: z.ZodType<AttributeFilter> = z.lazy(() =>
  z.union([comparisonFilterSchema, z.strictObject({ type: z.enum(["and", "or"]), filters: z.array(attributeFilterSchema) })]),
);

export const searchVectorStoreSchema = z.strictObject({
  query: z.union([z.string(), z.array(z.string()).min(1)]),
  rewrite_query: z.boolean().optional(),
  max_num_results: z.number().int().min(1).max(50).optional(),
  filters: attributeFilterSchema.optional(),
  ranking_options: z
    .strictObject({
      ranker: z.enum(["none", "auto", "default-2024-11-15"]).optional(),
      score_threshold: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export const vectorStoreFileFilterSchema = z.object({ filter: z.enum(["in_progress", "completed", "failed", "cancelled"]).optional() });

export type CreateVectorStoreRequest = z.output<typeof createVectorStoreSchema>;
export type ModifyVectorStoreRequest = z.output<typeof modifyVectorStoreSchema>;
export type CreateVectorStoreFileRequest = z.output<typeof createVectorStoreFileSchema>;
export type CreateFileBatchRequest = z.output<typeof createFileBatchSchema>;
export type SearchVectorStoreRequest = z.output<typeof searchVectorStoreSchema>;
