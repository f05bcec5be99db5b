import type { JobQueue } from "./job-queue.js";

/** The single-process queue: jobs live in memory; durability comes from the stored run status (see recovery). */
export function createInMemoryJobQueue<J>(options: { concurrency: number; onError?: (job: J, error: unknown) => void }): JobQueue<J> {
  const pending: J[] = [];
  const running = new Map<J, Promise<void>>();
  let handler: ((job: J) => Promise<void>) | undefined;
  let stopped = false;

  const pump = (): void => {
    while (handler && !stopped && running.size < options.concurrency && pending.length > 0) {
      const job = pending.shift() as J;
      const work = handler(job)
        .catch((error: unknown) => options.onError?.(job, error))
        .finally(() => {
          running.delete(job);
          pump();
        });
      running.set(job, work);
    }
  };

  return {
    async enqueue(job) {
      if (stopped) throw new Error("The job queue is stopped.");
      pending.push(job);
      pump();
    },
    process(newHandler) {
      handler = newHandler;
      pump();
    },
    async stop(timeoutMs) {
      stopped = true;
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
      await Promise.race([Promise.allSettled([...running.values()]), timeout]);
      return { running: [...running.keys()], pending: pending.splice(0) };
    },
    size: () => pending.length + running.size,
  };
}
