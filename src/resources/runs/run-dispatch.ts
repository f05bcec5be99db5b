import type { AppDependencies } from "../../app-dependencies.js";
import type { Message, Run } from "../../domain/objects.js";
import { defaultProjectId } from "../../domain/projects.js";
import type { Reservation } from "../../queue/leased-queue.js";
import type { RunLease } from "../../storage/run-leases.js";
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
  let settleCommit: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  let result: T;
  try {
    result = await create(async (transaction, run, threadMessages) => {
      if (reservation) await transaction.runs.insertLeased(run, reservation);
      else await transaction.runs.insert(run);
      inserted = { run, projectId: transaction.projectId ?? defaultProjectId, threadMessages };
      if (reservation && threadMessages && promptNeedsNoRead(run)) {
        // Its prompt is known in full: the executor calls the model while the insert is being committed,
        // and writes nothing (so publishes nothing) before the commit.
        const committed = new Promise<void>((resolve, reject) => (settleCommit = { resolve, reject }));
        committed.catch(() => undefined);
        reservation.start(leaseOf(reservation, run, inserted.projectId, { threadMessages, committed }));
      }
    });
  } catch (error) {
    settleCommit?.reject(error);
    reservation?.cancel();
    throw error;
  }
  if (settleCommit) {
    settleCommit.resolve();
    return result;
  }
  if (!reservation || !inserted) {
    reservation?.cancel();
    runQueue.wake();
    return result;
  }
  const { run, projectId, threadMessages } = inserted;
  reservation.start(leaseOf(reservation, run, projectId, threadMessages ? { threadMessages } : {}));
  return result;
}

function leaseOf(reservation: Reservation<RunLease>, run: Run, projectId: string, known: { threadMessages?: Message[]; committed?: Promise<unknown> }): RunLease {
  // The new run's event log holds only what this process appended, which it never reads back: nothing to skip.
  return { runId: run.id, projectId, owner: reservation.owner, attempt: 1, claimed: { run, eventSeq: 0, ...known } };
}

/** A run whose first prompt is its thread's messages and instructions alone: no tool reads its thread first. */
function promptNeedsNoRead(run: Run): boolean {
  return run.tools.every((tool) => tool.type === "function");
}
