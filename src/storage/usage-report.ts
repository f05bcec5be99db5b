/** Token use of model calls in one time bucket, per assistant and model. */
export interface CompletionUsageRow {
  /** Which bucket: 0 for the one starting at `startTime`, 1 for the next… */
  bucket: number;
  assistantId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Steps that carry usage: one per model call. */
  requests: number;
}

/** A run and how long it took, for the dashboard's runs per day and latency percentiles. */
export interface RunTimingRow {
  createdAt: number;
  status: string;
  /** Creation to final status in milliseconds; null while the run is not finished, or for runs older than the stamp. */
  durationMs: number | null;
}

export interface UsageRange {
  /** Unix seconds, inclusive. */
  startTime: number;
  /** Unix seconds, exclusive. */
  endTime: number;
  /** Bucket width in seconds; the first bucket starts at `startTime`. */
  bucketSeconds: number;
}

/** Read-only aggregates over runs and their steps, for the usage API. */
export interface UsageReport {
  /** Sums of the steps' `usage`, by bucket (of the step's creation), the run's assistant and the run's model. */
  completions(range: UsageRange): Promise<CompletionUsageRow[]>;
  /** Runs created in the range. */
  runs(range: Omit<UsageRange, "bucketSeconds">): Promise<RunTimingRow[]>;
}
