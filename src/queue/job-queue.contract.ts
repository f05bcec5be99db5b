import { describe, expect, it } from "vitest";
import type { JobQueue } from "./job-queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** The guarantees written on `JobQueue`; every implementation runs this suite. */
export function defineJobQueueContract(name: string, create: (concurrency: number) => Promise<JobQueue<number>>): void {
  describe(`${name}: job queue contract`, () => {
    it("hands every job to exactly one handler call", async () => {
      const queue = await create(4);
      const seen: number[] = [];
      queue.process(async (job) => void seen.push(job));
      for (let job = 0; job < 50; job += 1) await queue.enqueue(job);
      await expect.poll(() => seen.length).toBe(50);
      expect(new Set(seen).size).toBe(50);
      await queue.stop(100);
    });

    it("runs at most `concurrency` jobs at once, the rest in FIFO order", async () => {
      const queue = await create(2);
      const gates = Array.from({ length: 5 }, deferred);
      const started: number[] = [];
      let running = 0;
      let maxRunning = 0;
      queue.process(async (job) => {
        started.push(job);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await gates[job]!.promise;
        running -= 1;
      });
      for (let job = 0; job < 5; job += 1) await queue.enqueue(job);
      await expect.poll(() => started.length).toBe(2);
      gates.forEach((gate) => gate.resolve());
      await expect.poll(() => started.length).toBe(5);
      expect(started).toEqual([0, 1, 2, 3, 4]);
      expect(maxRunning).toBe(2);
      await queue.stop(100);
    });

    it("does not retry a job whose handler throws, and keeps going", async () => {
      const queue = await create(1);
      const calls: number[] = [];
      queue.process(async (job) => {
        calls.push(job);
        if (job === 0) throw new Error("boom");
      });
      await queue.enqueue(0);
      await queue.enqueue(1);
      await expect.poll(() => calls).toEqual([0, 1]);
      await queue.stop(100);
    });

    it("on stop, waits for running jobs up to the timeout and hands back the rest", async () => {
      const queue = await create(1);
      const gate = deferred();
      queue.process(async () => gate.promise);
      await queue.enqueue(1);
      await queue.enqueue(2);
      await expect.poll(() => queue.size()).toBe(2);
      const stopped = await queue.stop(50);
      expect(stopped).toEqual({ running: [1], pending: [2] });
      gate.resolve();
      await expect(queue.enqueue(3)).rejects.toThrow();
    });
  });
}
