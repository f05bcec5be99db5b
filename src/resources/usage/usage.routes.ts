import { Hono, type Context } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { unixNow } from "../../domain/time.js";
import { parseWith } from "../../http/validation.js";
import { usageQueryInput, usageQuerySchema } from "./usage.schema.js";
import { completionsUsage, runsUsage } from "./usage.service.js";

/** The usage API under `/v1/organization/usage`; the caller puts it behind the admin key. */
export function usageRoutes({ store }: Pick<AppDependencies, "store">) {
  const readQuery = (context: Context) =>
    parseWith(usageQuerySchema, usageQueryInput((name) => context.req.queries(name), context.req.query()));
  return new Hono()
    .get("/completions", async (context) => context.json(await completionsUsage(store.usage, readQuery(context), unixNow())))
    .get("/runs", async (context) => context.json(await runsUsage(store.usage, readQuery(context), unixNow())));
}
