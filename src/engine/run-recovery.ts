import { APICallError } from "@ai-sdk/provider";
import type { Run, RunStep } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { Logger } from "../logging/logger.js";
import type { RunLease } from "../storage/run-leases.js";
import { isConnectionError, LeaseLostError } from "../storage/storage-errors.js";
import type { Store } from "../storage/store.js";
import type { RunRecorder } from "./run-recorder.js";

/** A run whose executor died this many times is failed instead of being taken over again (a poison run). */
const maxRunAttempts = 5;

const cutOff = { code: "server_error", message: "The process executing this step stopped before it finished; the step was run again." } as const;

/**
 * Whether an execution must stop without touching the run, leaving it to whoever claims it next: the
 * process is shutting down, another process took the run over, or the database is unreachable.
 */
export function handedBack(error: unknown, handBack: AbortSignal): boolean {
  if (handBack.aborted || error instanceof LeaseLostError) return true;
  return !APICallError.isInstance(error) && isConnectionError(error);
}

type StepVerdict = "keep" | "complete" | "redo" | "unsafe";

/**
 * What an interrupted step means for continuing. Recorded tool outputs are never produced again; a turn
 * cut off mid-stream is generated again; a code cell that may have run halfway cannot be repeated safely.
 */
function verdictOf(step: RunStep): StepVerdict {
  if (step.status !== "in_progress") return "keep";
  if (step.step_details.type === "message_creation") return "redo";
  const calls = step.step_details.tool_calls;
  const unfinished = calls.filter((call) => call.type !== "function" && step.model_outputs[call.id] === undefined);
  if (unfinished.some((call) => call.type === "code_interpreter")) return "unsafe";
  // Function calls in an open step were never handed to the client (that is written with requires_action).
  if (unfinished.length > 0 || calls.some((call) => call.type === "function")) return "redo";
  return "complete";
}

/**
 * Prepares an `in_progress` run whose previous executor stopped (crash, kill, lost lease) for a new
 * executor: a cut-off answer is discarded and its step marked failed, so the turn is generated again.
 * Returns the run to continue, or undefined when it was failed because it cannot continue safely.
 */
export async function recoverInterruptedRun(run: Run, lease: RunLease, recorder: RunRecorder, store: Store, logger: Logger): Promise<Run | undefined> {
  const fail = async (message: string) => {
    logger.warn("interrupted run cannot continue", { runId: run.id, attempt: lease.attempt, reason: message });
    await recorder.write(store, async (transaction) => {
      await recorder.closeOpenWork(run.id, "failed", transaction);
      await recorder.apply(run, { type: "fail", error: { code: "server_error", message } }, transaction);
    });
    return undefined;
  };
  if (lease.attempt > maxRunAttempts) {
    return fail(`The processes executing this run stopped ${lease.attempt - 1} times before it finished; create a new run to try again.`);
  }
  const open = await store.runSteps.findAll({ runId: run.id, statuses: ["in_progress"] });
  const verdicts = open.map((step) => ({ step, verdict: verdictOf(step) }));
  if (verdicts.some(({ verdict }) => verdict === "unsafe")) {
    return fail("The process executing this run stopped while code_interpreter was running; the code may have had effects, so it was not run again. Create a new run to continue.");
  }
  const now = unixNow();
  await recorder.write(store, async (transaction) => {
    for (const { step, verdict } of verdicts) {
      if (verdict === "complete") {
        await recorder.finishStep({ ...step, status: "completed", completed_at: now }, transaction);
      } else if (verdict === "redo") {
        if (step.step_details.type === "message_creation") await transaction.messages.delete(step.step_details.message_creation.message_id, run.thread_id);
        await recorder.finishStep({ ...step, status: "failed", failed_at: now, last_error: cutOff }, transaction);
      }
    }
  });
  logger.info("continuing an interrupted run", { runId: run.id, attempt: lease.attempt, stepsRedone: verdicts.filter(({ verdict }) => verdict === "redo").length });
  return run;
}
