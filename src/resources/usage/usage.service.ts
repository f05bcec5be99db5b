import { InvalidRequestError } from "../../errors/api-error.js";
import type { CompletionUsageRow, RunTimingRow, UsageReport } from "../../storage/usage-report.js";
import { bucketWidths, type Grouping, type UsageQuery } from "./usage.schema.js";

interface Page<R> {
  object: "page";
  data: { object: "bucket"; start_time: number; end_time: number; results: R[] }[];
  has_more: boolean;
  next_page: string | null;
}

/** The buckets a query asks for: from `page` (or `start_time`) on, at most `limit`, up to `end_time`. */
function bucketsOf(query: UsageQuery, nowSeconds: number) {
  const width = bucketWidths[query.bucket_width];
  const limit = query.limit ?? width.defaultLimit;
  if (limit > width.maxLimit) throw new InvalidRequestError(`limit must be at most ${width.maxLimit} for bucket_width=${query.bucket_width}.`, { param: "limit" });
  // By default up to now, this second included.
  const endTime = query.end_time ?? nowSeconds + 1;
  const from = query.page === undefined ? query.start_time : Number(query.page);
  if (endTime <= query.start_time) throw new InvalidRequestError("end_time must be after start_time.", { param: "end_time" });
  const total = Math.max(0, Math.ceil((endTime - from) / width.seconds));
  const count = Math.min(limit, total);
  const starts = Array.from({ length: count }, (_, index) => from + index * width.seconds);
  const until = Math.min(endTime, from + count * width.seconds);
  return { starts, width: width.seconds, endTime, until, hasMore: total > count };
}

function page<R>(buckets: ReturnType<typeof bucketsOf>, results: (start: number) => R[]): Page<R> {
  return {
    object: "page",
    data: buckets.starts.map((start) => ({ object: "bucket", start_time: start, end_time: Math.min(start + buckets.width, buckets.endTime), results: results(start) })),
    has_more: buckets.hasMore,
    next_page: buckets.hasMore ? String(buckets.until) : null,
  };
}

export interface CompletionsUsageResult {
  object: "organization.usage.completions.result";
  input_tokens: number;
  output_tokens: number;
  input_cached_tokens: number;
  input_audio_tokens: number;
  output_audio_tokens: number;
  num_model_requests: number;
  project_id: string | null;
  user_id: string | null;
  api_key_id: string | null;
  model: string | null;
  batch: boolean | null;
  /** Spool's addition: with `group_by=assistant_id`. */
  assistant_id?: string | null;
}

function completionsResult(rows: CompletionUsageRow[], groupBy: Grouping[]): CompletionsUsageResult {
  const first = rows[0];
  return {
    object: "organization.usage.completions.result",
    input_tokens: rows.reduce((sum, row) => sum + row.inputTokens, 0),
    output_tokens: rows.reduce((sum, row) => sum + row.outputTokens, 0),
    input_cached_tokens: 0,
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: rows.reduce((sum, row) => sum + row.requests, 0),
    // Projects do not exist yet: all usage is outside any project.
    project_id: null,
    user_id: null,
    api_key_id: null,
    model: groupBy.includes("model") ? (first?.model ?? null) : null,
    batch: groupBy.includes("batch") ? false : null,
    ...(groupBy.includes("assistant_id") ? { assistant_id: first?.assistantId ?? null } : {}),
  };
}

/**
 * Token usage of model calls (each run step's `usage`), shaped like OpenAI's
 * `GET /v1/organization/usage/completions`; `group_by=assistant_id` and `assistant_ids` are Spool's additions.
 */
export async function completionsUsage(report: UsageReport, query: UsageQuery, nowSeconds: number): Promise<Page<CompletionsUsageResult>> {
  const buckets = bucketsOf(query, nowSeconds);
  const from = buckets.starts[0] ?? buckets.until;
  const rows = query.project_ids ? [] : await report.completions({ startTime: from, endTime: buckets.until, bucketSeconds: buckets.width });
  const wanted = rows.filter((row) => (!query.models || query.models.includes(row.model)) && (!query.assistant_ids || query.assistant_ids.includes(row.assistantId)));
  return page(buckets, (start) => {
    const groups = new Map<string, CompletionUsageRow[]>();
    for (const row of wanted) {
      if (from + row.bucket * buckets.width !== start) continue;
      const key = JSON.stringify([query.group_by.includes("model") ? row.model : null, query.group_by.includes("assistant_id") ? row.assistantId : null]);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    return [...groups.values()].map((group) => completionsResult(group, query.group_by));
  });
}

export interface RunsUsageResult {
  object: "spool.usage.runs.result";
  status: string;
  num_runs: number;
  /** Creation to final status, over the bucket's finished runs of this status; null when none has a timing. */
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}

/** Runs created per bucket by status, with latency percentiles: Spool's own, for the dashboard. */
export async function runsUsage(report: UsageReport, query: UsageQuery, nowSeconds: number): Promise<Page<RunsUsageResult>> {
  const buckets = bucketsOf(query, nowSeconds);
  const from = buckets.starts[0] ?? buckets.until;
  const runs = await report.runs({ startTime: from, endTime: buckets.until });
  return page(buckets, (start) => {
    const byStatus = new Map<string, RunTimingRow[]>();
    for (const run of runs) {
      if (run.createdAt < start || run.createdAt >= start + buckets.width) continue;
      byStatus.set(run.status, [...(byStatus.get(run.status) ?? []), run]);
    }
    return [...byStatus].sort(([left], [right]) => left.localeCompare(right)).map(([status, group]) => {
      const durations = group.flatMap((run) => (run.durationMs === null ? [] : [run.durationMs])).sort((left, right) => left - right);
      return { object: "spool.usage.runs.result", status, num_runs: group.length, latency_p50_ms: percentile(durations, 0.5), latency_p95_ms: percentile(durations, 0.95) };
    });
  });
}
