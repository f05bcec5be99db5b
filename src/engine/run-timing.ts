import type { Run } from "../domain/objects.js";
import type { RunMetrics } from "../observability/metrics.js";
import { terminalRunStatuses } from "./run-machine.js";

/** Creation time in milliseconds; runs stored before `telemetry` existed have only seconds. */
export function createdMs(run: Run): number {
  return run.telemetry?.created_ms ?? run.created_at * 1000;
}

/** `next` with its finish time stamped when `previous → next` ends the run. */
export function stampFinish(previous: Run, next: Run, nowMs: number): Run {
  if (!terminalRunStatuses.includes(next.status) || terminalRunStatuses.includes(previous.status)) return next;
  return { ...next, telemetry: { ...next.telemetry, created_ms: createdMs(next), finished_ms: nowMs } };
}

/** Counts a first start (with its wait in the queue) and a final status (with the run's whole duration). */
export function observeTransition(metrics: RunMetrics, previous: Run, next: Run, nowMs: number): void {
  if (previous.started_at === null && next.started_at !== null) metrics.runStarted(nowMs - createdMs(next));
  const finishedMs = next.telemetry?.finished_ms;
  if (finishedMs !== undefined && previous.telemetry?.finished_ms === undefined) metrics.runFinished(next.status, finishedMs - createdMs(next));
}
