import type { RunEventBus } from "../events/run-event-bus.js";
import type { Logger } from "../logging/logger.js";
import type { Message, Run, RunStep, RunStepStatus } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { Store } from "../storage/store.js";
import type { RunEventName, StreamEvent } from "../streaming/stream-events.js";
import { transition, type RunEvent } from "./run-machine.js";

/** Another writer changed the run first (e.g. a cancel landed); the caller re-reads and decides again. */
export class RunChangedError extends Error {
  override name = "RunChangedError";
  constructor(readonly runId: string) {
    super(`Run ${runId} changed while it was being updated.`);
  }
}

type Closing = "cancelled" | "failed" | "expired";

const messageReasons = { cancelled: "run_cancelled", failed: "run_failed", expired: "run_expired" } as const;

/**
 * The one place that writes run status, steps and run-owned messages, publishing the matching stream
 * event after each write, and logging every run transition.
 */
export class RunRecorder {
  constructor(private readonly dependencies: { store: Store; bus: RunEventBus; logger: Logger }) {}

  publish(runId: string, event: StreamEvent): void {
    this.dependencies.bus.publish(runId, { kind: "stream", event });
  }

  /** Applies `event` if the stored run is still in `run.status`; throws `RunChangedError` otherwise. */
  async apply(run: Run, event: RunEvent, store: Store = this.dependencies.store): Promise<Run> {
    const next = transition(run, event, unixNow());
    if (!(await store.runs.update(next, { expectedStatus: run.status }))) throw new RunChangedError(run.id);
    this.dependencies.logger.info("run transition", {
      runId: run.id,
      threadId: run.thread_id,
      from: run.status,
      to: next.status,
      event: event.type,
      ...(next.last_error ? { lastError: next.last_error } : {}),
    });
    this.publish(run.id, { event: `thread.run.${next.status}` as RunEventName, data: next });
    return next;
  }

  async saveStep(
    step: RunStep,
    event?: "thread.run.step.created" | "thread.run.step.in_progress" | `thread.run.step.${RunStepStatus}`,
    store: Store = this.dependencies.store,
  ): Promise<void> {
    if (event === "thread.run.step.created") await store.runSteps.insert(step);
    else await store.runSteps.update(step);
    if (event) this.publish(step.run_id, { event: event as "thread.run.step.created", data: step });
  }

  async saveMessage(
    message: Message,
    event?: "thread.message.created" | "thread.message.in_progress" | "thread.message.completed" | "thread.message.incomplete",
    store: Store = this.dependencies.store,
  ): Promise<void> {
    if (event === "thread.message.created") await store.messages.insert(message);
    else await store.messages.update(message);
    if (event && message.run_id) this.publish(message.run_id, { event, data: message });
  }

  /** Ends the run's in-progress messages and steps when the run stops early. */
  async closeOpenWork(runId: string, closing: Closing, store: Store = this.dependencies.store): Promise<void> {
    const now = unixNow();
    for (const message of await store.messages.findAll({ runId, statuses: ["in_progress"] })) {
      await this.saveMessage(
        { ...message, status: "incomplete", incomplete_at: now, incomplete_details: { reason: messageReasons[closing] } },
        "thread.message.incomplete",
        store,
      );
    }
    for (const step of await store.runSteps.findAll({ runId, statuses: ["in_progress"] })) {
      const stamp = closing === "cancelled" ? { cancelled_at: now } : closing === "failed" ? { failed_at: now } : { expired_at: now };
      await this.saveStep({ ...step, status: closing, ...stamp }, `thread.run.step.${closing}`, store);
    }
  }
}
