import { z } from "zod";

/** Bucket widths as the usage API names them, in seconds, with its default and largest bucket counts. */
export const bucketWidths = {
  "1m": { seconds: 60, defaultLimit: 60, maxLimit: 1440 },
  "1h": { seconds: 3600, defaultLimit: 24, maxLimit: 168 },
  "1d": { seconds: 86400, defaultLimit: 7, maxLimit: 31 },
} as const;

export const groupings = ["project_id", "user_id", "api_key_id", "model", "batch", "service_tier", "assistant_id"] as const;
export type Grouping = (typeof groupings)[number];

const unixSeconds = z.coerce.number().int().min(0);

/** Query of `GET /v1/organization/usage/completions`; arrays come as `group_by=a&group_by=b` or `group_by[]=a`. */
export const usageQuerySchema = z.object({
  start_time: unixSeconds,
  end_time: unixSeconds.optional(),
  bucket_width: z.enum(["1m", "1h", "1d"]).default("1d"),
  group_by: z.array(z.enum(groupings)).default([]),
  models: z.array(z.string()).optional(),
  assistant_ids: z.array(z.string()).optional(),
  project_ids: z.array(z.string()).optional(),
  limit: z.coerce.number().int().min(1).optional(),
  page: z.string().regex(/^\d+$/, "must be a page cursor from next_page").optional(),
});

export type UsageQuery = z.output<typeof usageQuerySchema>;

/** Query parameters as the schema reads them: repeated and `[]`-suffixed names become arrays. */
export function usageQueryInput(query: (name: string) => string[] | undefined, single: Record<string, string>): Record<string, unknown> {
  const arrays = ["group_by", "models", "assistant_ids", "project_ids"].map((name) => [name, [...(query(name) ?? []), ...(query(`${name}[]`) ?? [])]] as const);
  return { ...single, ...Object.fromEntries(arrays.filter(([, values]) => values.length > 0)) };
}
