import { z } from "zod";

/** Upload purposes the spec accepts (`assistants_output` and `batch_output` are only ever written by the server). */
export const uploadPurposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"] as const;

/**
 * The multipart fields besides `file`. The SDK sends nested objects in bracket form
 * (`expires_after[anchor]`), so the schema names them that way.
 */
export const uploadFieldsSchema = z.strictObject({
  purpose: z.enum(uploadPurposes),
  "expires_after[anchor]": z.literal("created_at").optional(),
  "expires_after[seconds]": z.coerce.number().int().min(3600).max(2_592_000).optional(),
});

export type UploadFields = z.output<typeof uploadFieldsSchema>;

export const listFilesQuerySchema = z.object({
  purpose: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).optional(),
});
