/** The usage API (`/v1/organization/usage/…`), read with the admin key. */
import { api } from './client.js';
import { adminHeaders } from './settings.js';

export interface UsageBucket<R> {
  object: 'bucket';
  start_time: number;
  end_time: number;
  results: R[];
}

export interface UsagePage<R> {
  object: 'page';
  data: UsageBucket<R>[];
  has_more: boolean;
  next_page: string | null;
}

export interface CompletionsResult {
  input_tokens: number;
  output_tokens: number;
  num_model_requests: number;
  model: string | null;
}

export interface RunsResult {
  status: string;
  num_runs: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

const DAY = 86_400;

/** The last `days` UTC days, today included, as `start_time` for daily buckets. */
export function daysAgoStart(days: number, now = Date.now()): number {
  return Math.floor(now / 1000 / DAY) * DAY - (days - 1) * DAY;
}

function get<R>(path: string, startTime: number, days: number, extra = ''): Promise<UsagePage<R>> {
  const query = `start_time=${startTime}&bucket_width=1d&limit=${days}${extra}`;
  return api.get<UsagePage<R>>(`/organization/usage/${path}?${query}`, undefined, adminHeaders());
}

export const usageApi = {
  completionsByModel: (startTime: number, days: number) => get<CompletionsResult>('completions', startTime, days, '&group_by=model'),
  runs: (startTime: number, days: number) => get<RunsResult>('runs', startTime, days),
};
