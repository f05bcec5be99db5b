import type { Context } from "hono";
import { z } from "zod";
import type { ListPage, ListQuery } from "../storage/collection.js";
import { parseWith } from "./validation.js";

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
  after: z.string().min(1).optional(),
  before: z.string().min(1).optional(),
});

export function readListQuery(context: Context): Pick<ListQuery, "limit" | "order" | "after" | "before"> {
  const { limit, order, after, before } = parseWith(listQuerySchema, context.req.query());
  return { limit, order, ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

export interface ListEnvelope<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export function listEnvelope<T extends { id: string }>(page: ListPage<T>): ListEnvelope<T> {
  return {
    object: "list",
    data: page.data,
    first_id: page.data[0]?.id ?? null,
    last_id: page.data.at(-1)?.id ?? null,
    has_more: page.hasMore,
  };
}
