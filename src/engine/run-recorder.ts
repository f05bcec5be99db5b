import type { RunEventBus } from "../events/run-event-bus.js";
import type { Logger } from "../logging/logger.js";
import type { Message, Run, RunStep } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { RunLease } from "../storage/run-leases.js";
import type { Store } from "../storage/store.js";
import type { RunItemEvent } from "../domain/run-item-events.js";
import type { RunMetrics } from "../observability/metrics.js";
import { transition, type RunEvent } from "./run-machine.js";
import { observeTransition, stampFinish } from "./run-timing.js";

/** Another writer changed the run first (e.g. a cancel landed); the caller re-reads and decides again. */
/** Events that carry only ids and a fresh string. */
const textDeltas: ReadonlySet<RunItemEvent["type"]> = new Set(["message.text", "tool_call.arguments", "tool_call.code", "reasoning.text"]);

export class RunChangedError extends Error {
  override name = "RunChangedError";
  constructor(readonly runId: string) {
    super(`Run ${runId} changed while it was being updated.`);
  }
}

type Closing = "cancelled" | "failed" | "expired";

const messageReasons = { cancelled: "run_cancelled", failed: "run_failed", expired: "run_expired" } as const;

export interface RecorderDependencies {
  store: Store;
  bus: RunEventBus;
  logger: Logger;
  /** Absent where nothing is measured (in-process tests of the HTTP layer). */
  telemetry?: { metrics: RunMetrics } | undefined;
}

/**
 * The one place that writes run status, steps and run-owned messages, publishing the matching neutral
 * run event with each write (delivered once the write commits), and logging every run transition. An
 * executor's recorder carries its lease: each of its writes commits only while the lease is still
 * current (the attempt is the fencing token), so a process that lost a run can no longer change it.
 */
export class RunRecorder {
  constructor(
    private readonly dependencies: RecorderDependencies,
    private readonly fence?: { lease: RunLease; ttlMs: number },
  ) {}

  publish(runId: string, event: RunItemEvent, store: Store = this.dependencies.store): void {
    // A snapshot: the event leaves after commit, and the engine goes on changing the run, step and message
    // objects it carries. Text deltas are built fresh for each event and never changed, so they need no copy.
    const snapshot = textDeltas.has(event.type) ? event : structuredClone(event);
    this.dependencies.bus.publish(store, runId, { kind: "run", event: snapshot });
  }

  /**
   * Runs `work` as one transaction; for an executor, one that commits only while its lease is current.
   * `insertsOnly`: `work` only inserts (see `Store.insertTransaction`), one statement on Postgres.
   */
  async write<T>(store: Store, work: (transaction: Store) => Promise<T>, insertsOnly = false): Promise<T> {
    const fence = this.fence;
    const transact = <R>(inside: (transaction: Store) => Promise<R>) => (insertsOnly ? store.insertTransaction(inside) : store.transaction(inside));
    if (!fence) return transact(work);
    // Deltas published before this write reach other processes before its events do.
    if (!store.inTransaction) await this.dependencies.bus.flush(fence.lease.runId);
    return transact(async (transaction) => {
      transaction.fence(fence.lease, fence.ttlMs);
      return work(transaction);
    });
  }

  /** Applies `event` if the stored run is still in `run.status`; throws `RunChangedError` otherwise. */
  async apply(run: Run, event: RunEvent, store: Store = this.dependencies.store): Promise<Run> {
    return this.applyAhead(run, event, store).written;
  }

  /**
   * `apply`, with the run as the write will leave it known at once, before the write finishes: the
   * executor calls the model while a run's start is still being written. The write waits for `after`.
   */
  applyAhead(run: Run, event: RunEvent, store: Store = this.dependencies.store, after: Promise<unknown> = Promise.resolve()): { next: Run; written: Promise<Run> } {
    const nowMs = Date.now();
    const next = stampFinish(run, transition(run, event, Math.floor(nowMs / 1000)), nowMs);
    return { next, written: after.then(() => this.record(run, next, event, nowMs, store)) };
  }

  private async record(run: Run, next: Run, event: RunEvent, nowMs: number, store: Store): Promise<Run> {
    await this.write(store, async (transaction) => {
      if (!(await transaction.runs.update(next, { expectedStatus: run.status }))) throw new RunChangedError(run.id);
      this.publish(run.id, { type: "run.updated", run: next }, transaction);
    });
    const metrics = this.dependencies.telemetry?.metrics;
    // Inside a caller's transaction this waits for its commit: a rolled-back transition is not counted.
    if (metrics) store.afterCommit(() => observeTransition(metrics, run, next, nowMs));
    this.dependencies.logger.info("run transition", {
      runId: run.id,
      threadId: run.thread_id,
      from: run.status,
      to: next.status,
      event: event.type,
      ...(next.last_error ? { lastError: next.last_error } : {}),
    });
    return next;
  }

  /** Stores the step's progress (e.g. a tool's code before it runs) for clients that poll steps; nothing is published. */
  async saveStep(step: RunStep, store: Store = this.dependencies.store): Promise<void> {
    await this.write(store, (transaction) => transaction.runSteps.update(step));
  }

  /** Stores the step as it ended (completed, failed, cancelled or expired) and publishes it. */
  async finishStep(step: RunStep, store: Store = this.dependencies.store): Promise<void> {
    await this.write(store, async (transaction) => {
      await transaction.runSteps.update(step);
      this.publish(step.run_id, { type: "step.finished", step }, transaction);
    });
  }

  /** Inserts the step that records a model turn's tool calls (and the reasoning before them), and publishes it. */
  async openToolCalls(step: RunStep, store: Store = this.dependencies.store): Promise<void> {
    await this.write(store, async (transaction) => {
      await transaction.runSteps.insert(step);
      if (step.reasoning) this.publish(step.run_id, { type: "reasoning.finished", reasoning: step.reasoning }, transaction);
      this.publish(step.run_id, { type: "tool_calls.started", step }, transaction);
    });
  }

  /** Stores the message as it ended (completed or incomplete) and publishes it. */
  async finishMessage(message: Message, store: Store = this.dependencies.store): Promise<void> {
    await this.write(store, async (transaction) => {
      await transaction.messages.update(message);
      if (message.run_id) this.publish(message.run_id, { type: "message.finished", message }, transaction);
    });
  }

  /** Inserts a message_creation step (with the reasoning before it) and its message together, and publishes them. */
  async openMessage(step: RunStep, message: Message, store: Store = this.dependencies.store): Promise<void> {
    await this.write(store, async (transaction) => {
      // A step with reasoning is logged in the thread too, before its message: two log rows need two statements
      // (and a transaction that is not one statement).
      if (step.reasoning) {
        await transaction.runSteps.insert(step);
        await transaction.messages.insert(message);
        this.publish(step.run_id, { type: "reasoning.finished", reasoning: step.reasoning }, transaction);
      } else await transaction.runSteps.insert(step, transaction.messages.rowsOf(message));
      this.publish(step.run_id, { type: "message.started", message, step }, transaction);
    }, !step.reasoning);
  }

  /** Ends the run's in-progress messages and steps when the run stops early. */
  async closeOpenWork(runId: string, closing: Closing, store: Store = this.dependencies.store): Promise<void> {
    const now = unixNow();
    await this.write(store, async (transaction) => {
      for (const message of await transaction.messages.findAll({ runId, statuses: ["in_progress"] })) {
        await this.finishMessage({ ...message, status: "incomplete", incomplete_at: now, incomplete_details: { reason: messageReasons[closing] } }, transaction);
      }
      for (const step of await transaction.runSteps.findAll({ runId, statuses: ["in_progress"] })) {
        const stamp = closing === "cancelled" ? { cancelled_at: now } : closing === "failed" ? { failed_at: now } : { expired_at: now };
        await this.finishStep({ ...step, status: closing, ...stamp }, transaction);
      }
    });
  }
}
