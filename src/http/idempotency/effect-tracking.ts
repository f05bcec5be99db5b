import { AsyncLocalStorage } from "node:async_hooks";
import type { Store } from "../../storage/store.js";

/** Called inside each transaction a request commits, with what the transaction's work returned. */
export type EffectRecorder = (transaction: Store, result: unknown) => Promise<void>;

const recorders = new AsyncLocalStorage<EffectRecorder>();

/** Runs `work` (a request's handler) so that every transaction it commits through a tracked store calls `recorder`. */
export function trackingEffects<T>(recorder: EffectRecorder, work: () => Promise<T>): Promise<T> {
  return recorders.run(recorder, work);
}

/**
 * The store the routes get: its transactions call the recorder of the request they belong to, if any,
 * just before they commit, so "this request's work took effect" commits with the work itself or not at
 * all. Resources need not know about idempotency keys.
 */
export function trackedStore(store: Store): Store {
  return {
    ...store,
    transaction<T>(work: (transaction: Store) => Promise<T>): Promise<T> {
      const recorder = recorders.getStore();
      if (!recorder) return store.transaction(work);
      return store.transaction(async (transaction) => {
        const result = await work(transaction);
        await recorder(transaction, result);
        return result;
      });
    },
    insertTransaction<T>(work: (transaction: Store) => Promise<T>): Promise<T> {
      // The recorder writes more than inserts: a request's effects take the ordinary transaction.
      return recorders.getStore() ? this.transaction(work) : store.insertTransaction(work);
    },
  };
}
