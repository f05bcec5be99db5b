import { sql, type Kysely, type RawBuilder } from "kysely";
import type { UsageReport } from "../usage-report.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";

/** A field of an object's JSON body as SQL text. `path` holds constants of this module, never input. */
function jsonField(dialect: DialectFeatures["name"], column: "s.body" | "r.body", path: string[]): RawBuilder<unknown> {
  if (!path.every((key) => /^[a-z_]+$/.test(key))) throw new Error(`not a JSON path: ${path.join(".")}`);
  if (dialect === "sqlite") return sql.raw(`json_extract(${column}, '$.${path.join(".")}')`);
  const parents = path.slice(0, -1).map((key) => ` -> '${key}'`).join("");
  return sql.raw(`(${column}::json${parents} ->> '${path.at(-1)}')`);
}

export function createSqlUsageReport(db: Kysely<Database>, dialect: DialectFeatures["name"]): UsageReport {
  const field = (column: "s.body" | "r.body", ...path: string[]) => jsonField(dialect, column, path);
  const integer = (value: RawBuilder<unknown>) => (dialect === "sqlite" ? value : sql`cast(${value} as bigint)`);
  return {
    async completions({ startTime, endTime, bucketSeconds }) {
      const input = integer(field("s.body", "usage", "prompt_tokens"));
      const output = integer(field("s.body", "usage", "completion_tokens"));
      // Parameters may bind as reals in SQLite: the cast keeps the division whole.
      const bucket = sql`cast((s.created_at - ${startTime}) / ${bucketSeconds} as integer)`;
      const { rows } = await sql<{ bucket: number | string; assistant_id: string; model: string; input_tokens: number | string; output_tokens: number | string; requests: number | string }>`
        select ${bucket} as bucket, ${field("r.body", "assistant_id")} as assistant_id, ${field("r.body", "model")} as model,
          sum(${input}) as input_tokens, sum(${output}) as output_tokens, count(*) as requests
        from run_steps s join runs r on r.id = s.run_id
        where s.created_at >= ${startTime} and s.created_at < ${endTime} and ${input} is not null
        group by 1, 2, 3`.execute(db);
      return rows.map((row) => ({
        bucket: Number(row.bucket),
        assistantId: row.assistant_id,
        model: row.model,
        inputTokens: Number(row.input_tokens),
        outputTokens: Number(row.output_tokens),
        requests: Number(row.requests),
      }));
    },
    async runs({ startTime, endTime }) {
      const created = integer(field("r.body", "telemetry", "created_ms"));
      const finished = integer(field("r.body", "telemetry", "finished_ms"));
      const { rows } = await sql<{ created_at: number | string; status: string; duration_ms: number | string | null }>`
        select r.created_at, r.status, ${finished} - ${created} as duration_ms
        from runs r where r.created_at >= ${startTime} and r.created_at < ${endTime}`.execute(db);
      return rows.map((row) => ({
        createdAt: Number(row.created_at),
        status: row.status,
        durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
      }));
    },
  };
}
