import type { Store } from "../storage/store.js";
import type { RunBusMessage, RunEventBus, RunSubscription } from "./run-event-bus.js";

const readBatch = 500;

/**
 * A run's messages as its event log holds them, from the first, in batches; with `follow`, then the ones
 * appended later, until `subscription` closes. The log is the source: every reader in every process sees
 * the same messages in the same order. `subscription` (made before the call, so no append is missed)
 * only says when to look again; wake-ups that arrive while a read is under way are served by that read
 * or the next one.
 */
export async function* replayRunMessages(store: Store, bus: RunEventBus, runId: string, subscription: RunSubscription, follow: boolean): AsyncGenerator<RunBusMessage[]> {
  let pending = true;
  let closed = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  void (async () => {
    for await (const _message of subscription) {
      pending = true;
      signal();
    }
    closed = true;
    signal();
  })();
  let after = 0;
  for (;;) {
    if (!pending) {
      if (closed || !follow) return;
      await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }
    pending = false;
    // This process's own recent messages may still be on their way to the log.
    await bus.flush(runId);
    for (;;) {
      const entries = await store.runEvents.readAfter(runId, after, readBatch);
      for (const entry of entries) {
        after = entry.seq;
        yield JSON.parse(entry.body) as RunBusMessage[];
      }
      if (entries.length < readBatch) break;
    }
  }
}
