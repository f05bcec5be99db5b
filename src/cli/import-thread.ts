import type { Collection, StoredObject } from "../storage/collection.js";
import type { Store } from "../storage/store.js";
import { countOutcome, type ImportReport } from "./import-report.js";
import { putObject, writeOrRollBack, type Outcome } from "./put-object.js";
import type { StoredThreadContents } from "./stored-objects.js";

type Recorded = [kind: "thread" | "message" | "run" | "step", id: string, outcome: Outcome][];

async function writeThread(transaction: Store, contents: StoredThreadContents, overwrite: boolean): Promise<Recorded> {
  const recorded: Recorded = [];
  const thread = await putObject(transaction.threads, contents.thread, overwrite);
  recorded.push(["thread", contents.thread.id, thread]);
  if (thread === "conflict") return recorded;
  async function putAll<T extends StoredObject>(kind: Recorded[number][0], collection: Collection<T>, objects: readonly T[]): Promise<void> {
    for (const object of objects) recorded.push([kind, object.id, await putObject(collection, object, overwrite)]);
  }
  await putAll("message", transaction.messages, contents.messages);
  await putAll("run", transaction.runs, contents.runs);
  await putAll("step", transaction.runSteps, contents.steps);
  return recorded;
}

/**
 * Imports one thread with its messages, runs and steps in one transaction, so a failure leaves none of it.
 * A thread already here with other content is left alone whole; otherwise each object is added, found
 * unchanged, or (other content under its id) left alone or overwritten. Returns whether the thread itself
 * was taken (not a conflict).
 */
export async function importThread(store: Store, contents: StoredThreadContents, options: { overwrite: boolean; dryRun: boolean }, report: ImportReport): Promise<boolean> {
  const threadId = contents.thread.id;
  const outcomes = await writeOrRollBack(store, options.dryRun, (transaction) => writeThread(transaction, contents, options.overwrite));
  // Counted only once the transaction committed: a failed thread counts nothing.
  for (const [kind, id, outcome] of outcomes) countOutcome(report, kind, id, outcome, threadId);
  const written = new Set(outcomes.filter(([kind, , outcome]) => kind === "run" && (outcome === "added" || outcome === "overwritten")).map(([, id]) => id));
  for (const run of contents.expiredRuns) if (written.has(run.id)) report.expiredRuns.push({ threadId, runId: run.id, status: run.status });
  return outcomes[0]?.[2] !== "conflict";
}
