import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../storage/store.js";
import { runFixture } from "../testing/run-fixture.js";
import type { RunBusMessage, RunEventBus } from "./run-event-bus.js";

async function take(iterable: AsyncIterable<RunBusMessage>, count: number): Promise<RunBusMessage[]> {
  const taken: RunBusMessage[] = [];
  for await (const message of iterable) {
    taken.push(message);
    if (taken.length === count) break;
  }
  return taken;
}

/** A message that says which one it is, so a reordering or a duplicate shows. */
function numbered(number: number): RunBusMessage {
  return { kind: "run", event: { type: "error", error: { message: `message ${number}`, type: "t", param: null, code: null } } };
}

export interface BusFixture {
  store: Store;
  /** One bus, or two sharing one database (as two processes would). */
  buses: RunEventBus[];
  close(): Promise<void>;
}

/** The guarantees written on `RunEventBus`; every implementation runs this suite. */
export function defineRunEventBusContract(name: string, open: () => Promise<BusFixture>): void {
  describe(`${name}: run event bus contract`, () => {
    let fixture: BusFixture;
    let runs = 0;
    const newRun = async () => {
      runs += 1;
      const run = runFixture(`run_${name.replace(/\W/g, "")}_${runs}`, `thread_${runs}`);
      await fixture.store.runs.insert(run);
      return run.id;
    };
    const open_ = async () => (fixture = await open());
    afterEach(async () => fixture?.close());

    it("delivers a run's messages in publish order to every subscriber of that run only, on every bus", async () => {
      await open_();
      const [runA, runB] = [await newRun(), await newRun()];
      const publisher = fixture.buses[0]!;
      const subscriptions = fixture.buses.flatMap((bus) => [bus.subscribe(runA), bus.subscribe(runA)]);
      const other = fixture.buses.map((bus) => bus.subscribe(runB));
      // Let each bus learn where the log stands before publishing.
      await Promise.all(fixture.buses.map((bus) => bus.flush(runA)));
      const messages = Array.from({ length: 30 }, (_, index) => numbered(index));
      for (const [index, message] of messages.entries()) {
        // Inside and outside transactions, interleaved: both keep their order.
        if (index % 3 === 0) await fixture.store.transaction(async (transaction) => publisher.publish(transaction, runA, message));
        else publisher.publish(fixture.store, runA, message);
      }
      for (const subscription of subscriptions) await expect(take(subscription, 30)).resolves.toEqual(messages);
      for (const subscription of other) {
        subscription.close();
        await expect(take(subscription, 1)).resolves.toEqual([]);
      }
    });

    it("delivers a transaction's messages only once it commits, and never after a rollback", async () => {
      await open_();
      const runId = await newRun();
      const subscriptions = fixture.buses.map((bus) => bus.subscribe(runId));
      const seen: RunBusMessage[][] = subscriptions.map(() => []);
      subscriptions.forEach((subscription, index) => void (async () => {
        for await (const message of subscription) seen[index]!.push(message);
      })());
      await expect(
        fixture.store.transaction(async (transaction) => {
          fixture.buses[0]!.publish(transaction, runId, numbered(1));
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      let deliveredBeforeCommit: RunBusMessage[][] = [];
      await fixture.store.transaction(async (transaction) => {
        fixture.buses[0]!.publish(transaction, runId, numbered(2));
        // Published but not committed: nobody may have it yet. A later message of the same run published
        // outside the transaction goes out at once; once every subscriber has it, a message 2 that had left
        // on publishing would have arrived first.
        fixture.buses[0]!.publish(fixture.store, runId, numbered(3));
        for (const messages of seen) await expect.poll(() => messages).toContainEqual(numbered(3));
        deliveredBeforeCommit = seen.map((messages) => [...messages]);
      });
      expect(deliveredBeforeCommit).toEqual(seen.map(() => [numbered(3)]));
      for (const messages of seen) await expect.poll(() => messages).toEqual([numbered(3), numbered(2)]);
      subscriptions.forEach((subscription) => subscription.close());
    });

    it("does not replay messages published before subscribing", async () => {
      await open_();
      const runId = await newRun();
      const bus = fixture.buses.at(-1)!;
      fixture.buses[0]!.publish(fixture.store, runId, numbered(1));
      await fixture.buses[0]!.flush(runId);
      const late = bus.subscribe(runId);
      await bus.flush(runId);
      fixture.buses[0]!.publish(fixture.store, runId, numbered(2));
      await expect(take(late, 1)).resolves.toEqual([numbered(2)]);
    });

    it("ends iteration when a subscription is closed while waiting", async () => {
      await open_();
      const runId = await newRun();
      const subscription = fixture.buses[0]!.subscribe(runId);
      const pending = take(subscription, 1);
      subscription.close();
      await expect(pending).resolves.toEqual([]);
      fixture.buses[0]!.publish(fixture.store, runId, numbered(1));
    });
  });
}
