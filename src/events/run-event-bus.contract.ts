import { describe, expect, it } from "vitest";
import type { RunBusMessage, RunEventBus } from "./run-event-bus.js";

async function take(iterable: AsyncIterable<RunBusMessage>, count: number): Promise<RunBusMessage[]> {
  const taken: RunBusMessage[] = [];
  for await (const message of iterable) {
    taken.push(message);
    if (taken.length === count) break;
  }
  return taken;
}

/** The guarantees written on `RunEventBus`; every implementation runs this suite. */
export function defineRunEventBusContract(name: string, create: () => Promise<RunEventBus>): void {
  describe(`${name}: run event bus contract`, () => {
    it("delivers a run's messages in publish order to every subscriber of that run only", async () => {
      const bus = await create();
      const first = bus.subscribe("run_a");
      const second = bus.subscribe("run_a");
      const other = bus.subscribe("run_b");
      const messages: RunBusMessage[] = [{ kind: "cancel-requested" }, { kind: "cancel-requested" }];
      bus.publish("run_a", messages[0]!);
      bus.publish("run_a", messages[1]!);
      await expect(take(first, 2)).resolves.toEqual(messages);
      await expect(take(second, 2)).resolves.toEqual(messages);
      other.close();
      await expect(take(other, 1)).resolves.toEqual([]);
    });

    it("does not replay messages published before subscribing", async () => {
      const bus = await create();
      bus.publish("run_c", { kind: "cancel-requested" });
      const late = bus.subscribe("run_c");
      setTimeout(() => late.close(), 20);
      await expect(take(late, 1)).resolves.toEqual([]);
    });

    it("ends iteration when a subscription is closed while waiting", async () => {
      const bus = await create();
      const subscription = bus.subscribe("run_d");
      const pending = take(subscription, 1);
      subscription.close();
      await expect(pending).resolves.toEqual([]);
      bus.publish("run_d", { kind: "cancel-requested" });
    });
  });
}
