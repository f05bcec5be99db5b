import { afterEach, describe, expect, it } from "vitest";
import type { RunStatus } from "../domain/objects.js";
import type { RunLease } from "../storage/run-leases.js";
import type { Store } from "../storage/store.js";
import { runFixture } from "../testing/run-fixture.js";
import type { RunQueue } from "./run-queue.js";

export interface QueueOptions {
  concurrency: number;
  leaseTtlMs: number;
  /** Long in tests of wake-ups, so that only a wake can have started a run. */
  sweepIntervalMs: number;
}

export interface RunQueueFixture {
  /** The database every queue works on. */
  store: Store;
  /** A queue as one process would have it (its own connections and owner id). */
  openQueue(options: QueueOptions): Promise<RunQueue>;
  close(): Promise<void>;
}

const fast: QueueOptions = { concurrency: 4, leaseTtlMs: 300, sweepIntervalMs: 50 };

/**
 * The guarantees written on `RunQueue`; each database runs this suite, and `processes` > 1 runs it with
 * several queues on one database, as several processes would.
 */
export function defineRunQueueContract(name: string, processes: number, open: () => Promise<RunQueueFixture>): void {
  describe(`${name}: run queue contract`, () => {
    let fixture: RunQueueFixture;
    const queues: RunQueue[] = [];
    let runs = 0;
    const insertRun = async (status: RunStatus = "queued") => {
      runs += 1;
      const run = runFixture(`run_${runs}`, `thread_${runs}`, status);
      await fixture.store.runs.insert(run);
      return run;
    };
    const finish = async (runId: string) => {
      const run = await fixture.store.runs.get(runId);
      await fixture.store.runs.update({ ...run!, status: "completed" });
    };
    const openQueues = async (options: QueueOptions) => {
      for (let index = 0; index < processes; index += 1) queues.push(await fixture.openQueue(options));
      return queues;
    };

    afterEach(async () => {
      for (const queue of queues.splice(0)) await queue.stop(100);
      await fixture?.close();
    });

    it("hands every waiting run to exactly one handler across all processes", async () => {
      fixture = await open();
      const seen: string[] = [];
      const claimedAs: unknown[] = [];
      for (const queue of await openQueues(fast)) {
        queue.process(async (lease) => {
          seen.push(lease.runId);
          // The lease carries the run as claimed, and where its (still empty) event log stood.
          claimedAs.push([lease.claimed?.run.id, lease.claimed?.run.status, lease.claimed?.eventSeq]);
          await finish(lease.runId);
        });
      }
      const ids: string[] = [];
      for (let index = 0; index < 40; index += 1) {
        ids.push((await insertRun()).id);
        queues[index % queues.length]!.wake();
      }
      await expect.poll(() => seen.length).toBe(40);
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(claimedAs).toEqual(seen.map((id) => [id, "queued", 0]));
    });

    it("runs at most `concurrency` handlers at once in each process", async () => {
      fixture = await open();
      let running = 0;
      let most = 0;
      let release = () => undefined as void;
      const gate = { promise: new Promise<void>((resolve) => (release = resolve)), resolve: () => release() };
      const started: string[] = [];
      for (const queue of await openQueues({ ...fast, concurrency: 2 })) {
        queue.process(async (lease) => {
          running += 1;
          most = Math.max(most, running);
          started.push(lease.runId);
          await gate.promise;
          await finish(lease.runId);
          running -= 1;
        });
      }
      for (let index = 0; index < 2 * processes + 3; index += 1) await insertRun();
      queues[0]!.wake();
      await expect.poll(() => started.length).toBe(2 * processes);
      expect(queues.map((queue) => queue.running())).toEqual(queues.map(() => 2));
      gate.resolve();
      await expect.poll(() => started.length).toBe(2 * processes + 3);
      expect(most).toBe(2 * processes);
    });

    it("wakes on a notification from any process, without waiting for a sweep", async () => {
      fixture = await open();
      const options = { ...fast, sweepIntervalMs: 60_000 };
      const [processing, ...others] = [await fixture.openQueue(options), ...(processes > 1 ? [await fixture.openQueue(options)] : [])];
      queues.push(processing!, ...others);
      const sentinel = await insertRun();
      const started: string[] = [];
      processing!.process(async (lease, signal) => {
        started.push(lease.runId);
        // The sentinel holds its slot, so no finished handler triggers another claim.
        if (lease.runId === sentinel.id) await new Promise((resolve) => signal.addEventListener("abort", resolve));
        else await finish(lease.runId);
      });
      // The queue's first claim has returned once it started the sentinel; after that only a wake can start a run.
      await expect.poll(() => started).toEqual([sentinel.id]);
      const run = await insertRun();
      queues.at(-1)!.wake();
      await expect.poll(() => started).toEqual([sentinel.id, run.id]);
    });

    it("takes over a run whose holder stopped renewing its lease, with the next attempt", async () => {
      fixture = await open();
      const run = await insertRun("in_progress");
      // A process that claimed the run and died: its lease is never renewed.
      const [dead] = await fixture.store.runLeases.claim("dead-process", 1, 200);
      expect(dead).toMatchObject({ runId: run.id, attempt: 1 });
      const leases: RunLease[] = [];
      for (const queue of await openQueues(fast)) {
        queue.process(async (lease) => {
          leases.push(lease);
          await finish(lease.runId);
        });
      }
      await expect.poll(() => leases.map((lease) => [lease.runId, lease.attempt])).toEqual([[run.id, 2]]);
      // The dead holder's fencing token is stale: its writes are refused.
      expect(await fixture.store.runLeases.hold(dead!, 1000)).toBe(false);
    });

    it("aborts a handler whose lease was taken, so it stops writing", async () => {
      fixture = await open();
      const run = await insertRun("in_progress");
      const aborted: unknown[] = [];
      // No sweeps: once the lease is free, only the thief below may claim the run.
      for (const queue of await openQueues({ ...fast, sweepIntervalMs: 60_000 })) {
        queue.process(async (_lease, signal) => {
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
          aborted.push(signal.reason);
        });
      }
      await expect.poll(() => queues.reduce((sum, queue) => sum + queue.running(), 0)).toBe(1);
      // Someone else now holds it (as after a pause longer than the lease, e.g. a stopped VM).
      await fixture.store.runLeases.releaseAll();
      const [thief] = await fixture.store.runLeases.claim("another-process", 1, 60_000);
      expect(thief?.runId).toBe(run.id);
      await expect.poll(() => aborted).toEqual(["lease-lost"]);
    });

    it("on stop, waits for handlers up to the timeout, then hands their runs back at once", async () => {
      fixture = await open();
      const run = await insertRun();
      const stopping = await fixture.openQueue(fast);
      const reasons: unknown[] = [];
      stopping.process(async (_lease, signal) => {
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        reasons.push(signal.reason);
      });
      stopping.wake();
      await expect.poll(() => stopping.running()).toBe(1);
      expect(await stopping.stop(20)).toEqual({ handedBack: 1 });
      expect(reasons).toEqual(["shutdown"]);
      // Handed back, not failed: the next process claims it at once, without waiting for the lease to lapse.
      const next = await fixture.store.runLeases.claim("next-process", 10, 60_000);
      expect(next.map((lease) => lease.runId)).toEqual([run.id]);
    });

    it("runs a run inserted leased through a reservation in the reserving process at once, with no claim; reservations take slots", async () => {
      fixture = await open();
      const options = { ...fast, concurrency: 2, sweepIntervalMs: 60_000 };
      const [creating, ...others] = [await fixture.openQueue(options), ...(processes > 1 ? [await fixture.openQueue(options)] : [])];
      queues.push(creating!, ...others);
      const handled: [queue: number, lease: RunLease][] = [];
      for (const [index, queue] of queues.entries()) {
        queue.process(async (lease) => {
          handled.push([index, lease]);
          await finish(lease.runId);
        });
      }
      const first = creating!.reserve();
      const reservation = creating!.reserve()!;
      // Both slots are promised: no third reservation until one is given up.
      expect(creating!.reserve()).toBeUndefined();
      first!.cancel();
      const again = creating!.reserve();
      expect(again).toMatchObject({ owner: reservation.owner });
      again!.cancel();
      const run = runFixture("run_reserved", "thread_reserved", "queued");
      await fixture.store.runs.insertLeased(run, reservation);
      // Leased to the reserving process: no wake of any process, nor another process's claim, takes it.
      for (const queue of queues) queue.wake();
      expect(await fixture.store.runLeases.claim("another-process", 10, 60_000)).toEqual([]);
      reservation.start({ runId: run.id, projectId: "proj_default", owner: reservation.owner, attempt: 1, claimed: { run, eventSeq: 0 } });
      await expect.poll(() => handled.map(([queue, lease]) => [queue, lease.runId, lease.attempt])).toEqual([[0, run.id, 1]]);
      await creating!.stop(100);
      expect(creating!.reserve()).toBeUndefined();
    });

    it("never claims a run that waits for tool outputs or has finished", async () => {
      fixture = await open();
      await insertRun("requires_action");
      await insertRun("completed");
      await insertRun("cancelled");
      expect(await fixture.store.runLeases.claim("any", 10, 60_000)).toEqual([]);
    });
  });
}
