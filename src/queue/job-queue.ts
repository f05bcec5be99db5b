/**
 * Background work. Guarantees every implementation keeps (see `job-queue.contract.ts`):
 * - each enqueued job is handed to exactly one handler call while the queue runs;
 * - at most `concurrency` handler calls run at once; more jobs wait in FIFO order;
 * - no automatic retry: a handler that throws has finished its job (it records its own failure);
 * - `stop` stops taking jobs, waits for running ones up to a timeout, and reports the ones still running
 *   and the ones never started, so the caller can hand them back (e.g. mark their runs for recovery).
 */
export interface JobQueue<J> {
  enqueue(job: J): Promise<void>;
  process(handler: (job: J) => Promise<void>): void;
  stop(timeoutMs: number): Promise<{ running: J[]; pending: J[] }>;
  /** Jobs waiting plus running. */
  size(): number;
}
