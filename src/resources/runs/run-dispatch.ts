import type { AppDependencies } from "../../app-dependencies.js";
import type { Message, Run } from "../../domain/objects.js";
import { defaultProjectId } from "../../domain/projects.js";
import type { Store } from "../../storage/store.js";

/**
 * Inserts a new run inside the caller's transaction. `threadMessages`: every message of the run's thread,
 * when the caller knows them all (it created the thread in this transaction).
 */
export type InsertRun = (transaction: Store, run: Run, threadMessages?: Message[]) => Promise<void>;

/**
 * Runs `create` (which inserts one run through the `InsertRun` it is given, in a transaction it commits)
 * and hands the new run to an executor. When this process has a free slot, the run is inserted already
 * leased to it (attempt 1), and executed here as soon as `create` returns, without a claim; should this
 * process die first, the lease lapses and another process takes the run over. Otherwise the run is inserted
 * unleased and every process is woken to claim it.
 */
export async function dispatchNewRun<T>(runQueue: AppDependencies["runQueue"], create: (insertRun: InsertRun) => Promise<T>): Promise<T> {
  const reservation = runQueue.reserve();
  let inserted: { run: Run; projectId: string; threadMessages: Message[] | undefined } | undefined;
  let result: T;
  try {
    result = await create(async (transaction, run, threadMessages) => {
      if (reservation) await transaction.runs.insertLeased(run, reservation);
      else await transaction.runs.insert(run);
      inserted = { run, projectId: transaction.projectId ?? defaultProjectId, threadMessages };
    });
  } catch (error) {
    reservation?.cancel();
    throw error;
  }
  if (!reservation || !inserted) {
    reservation?.cancel();
    runQueue.wake();
    return result;
  }
  const { run, projectId, threadMessages } = inserted;
  // The new run's event log holds only what this process appended, which it never reads back: nothing to skip.
  const claimed = { run, eventSeq: 0, ...(threadMessages ? { threadMessages } : {}) };
  reservation.start({ runId: run.id, projectId, owner: reservation.owner, attempt: 1, claimed });
  return result;
}
