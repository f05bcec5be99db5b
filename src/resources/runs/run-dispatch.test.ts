import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../../domain/objects.js";
import type { Reservation } from "../../queue/leased-queue.js";
import type { RunLease } from "../../storage/run-leases.js";
import { openSqliteStore } from "../../storage/sql/sqlite-store.js";
import type { Store } from "../../storage/store.js";
import { runFixture } from "../../testing/run-fixture.js";
import { dispatchNewRun } from "./run-dispatch.js";

/** A run queue with one free slot (or none), recording what the dispatch asked of it. */
function recordingQueue(free: boolean) {
  const calls: string[] = [];
  const started: RunLease[] = [];
  const reservation: Reservation<RunLease> = {
    owner: "this-process",
    ttlMs: 60_000,
    start: (lease) => void (calls.push("start"), started.push(lease)),
    cancel: () => void calls.push("cancel"),
  };
  return { calls, started, queue: { wake: () => void calls.push("wake"), reserve: () => (free ? reservation : undefined) } };
}

const message = { id: "msg_1", thread_id: "thread_1", role: "user" } as Message;

describe("dispatchNewRun", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore(":memory:");
  });
  afterEach(async () => {
    await store.close();
  });

  it("hands a run whose prompt is known to this process before its insert commits, to be written only after", async () => {
    const { calls, started, queue } = recordingQueue(true);
    let startedBeforeCommit = false;
    await dispatchNewRun(queue, (insert) =>
      store.transaction(async (transaction) => {
        await insert(transaction, runFixture("run_early", "thread_1"), [message]);
        startedBeforeCommit = calls.includes("start");
      }),
    );
    expect(startedBeforeCommit).toBe(true);
    expect(started[0]).toMatchObject({ runId: "run_early", owner: "this-process", attempt: 1, claimed: { eventSeq: 0, threadMessages: [message] } });
    await expect(started[0]!.claimed!.committed).resolves.toBeUndefined();
    expect(await store.runLeases.hold(started[0]!, 60_000)).toBe(true);
  });

  it("tells the executor of a run handed over early that its insert failed; nothing is written", async () => {
    const { started, queue } = recordingQueue(true);
    await expect(
      dispatchNewRun(queue, (insert) =>
        store.transaction(async (transaction) => {
          await insert(transaction, runFixture("run_failed", "thread_1"), [message]);
          throw new Error("refused after the insert");
        }),
      ),
    ).rejects.toThrow("refused after the insert");
    await expect(started[0]!.claimed!.committed).rejects.toThrow("refused after the insert");
    expect(await store.runs.get("run_failed")).toBeUndefined();
  });

  it("hands a run after its commit when its thread must be read, and wakes every process when this one has no slot", async () => {
    const withSlot = recordingQueue(true);
    await dispatchNewRun(withSlot.queue, (insert) => store.transaction((transaction) => insert(transaction, runFixture("run_read", "thread_2"))));
    expect(withSlot.calls).toEqual(["start"]);
    expect(withSlot.started[0]!.claimed).toEqual({ run: runFixture("run_read", "thread_2"), eventSeq: 0 });
    const tools = { ...runFixture("run_tools", "thread_3"), tools: [{ type: "file_search" as const }] };
    await dispatchNewRun(withSlot.queue, (insert) => store.transaction((transaction) => insert(transaction, tools, [message])));
    expect(withSlot.started[1]!.claimed?.committed).toBeUndefined();
    const full = recordingQueue(false);
    await dispatchNewRun(full.queue, (insert) => store.transaction((transaction) => insert(transaction, runFixture("run_unleased", "thread_4"))));
    expect(full.calls).toEqual(["wake"]);
    // Unleased: any process may claim it.
    expect((await store.runLeases.claim("another-process", 10, 60_000)).map((lease) => lease.runId)).toEqual(["run_unleased"]);
  });
});
