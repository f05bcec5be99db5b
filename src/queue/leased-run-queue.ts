import type { Notifications } from "../events/notifications.js";
import type { Logger } from "../logging/logger.js";
import type { RunLease, RunLeases } from "../storage/run-leases.js";
import type { HandBackReason, RunQueue } from "./run-queue.js";

export const runsWaitingChannel = "spool_runs_waiting";

export interface LeasedRunQueueOptions {
  leases: RunLeases;
  notifications: Notifications;
  /** This process's identity in `lease_owner`; unique per process start. */
  owner: string;
  concurrency: number;
  leaseTtlMs: number;
  /** How often to look for runs whose lease lapsed (and notifications that were missed). */
  sweepIntervalMs: number;
  logger: Logger;
}

interface Execution {
  lease: RunLease;
  abort: AbortController;
  done: Promise<void>;
}

/** The run queue on the runs table: claims with leases, renews them, and wakes on notifications. */
export function createLeasedRunQueue(options: LeasedRunQueueOptions): RunQueue {
  const { leases, notifications, owner, logger } = options;
  const executions = new Map<string, Execution>();
  let handler: ((lease: RunLease, signal: AbortSignal) => Promise<void>) | undefined;
  let stopped = false;
  let claiming = false;
  let claimAgain = false;
  const timers: NodeJS.Timeout[] = [];

  function execute(lease: RunLease): void {
    const abort = new AbortController();
    const done = (async () => {
      try {
        await handler?.(lease, abort.signal);
      } catch (error) {
        logger.error("run job crashed", { runId: lease.runId, error: String(error) });
      }
      await leases.release(lease).catch((error: unknown) => logger.warn("could not release a run lease", { runId: lease.runId, error: String(error) }));
      executions.delete(lease.runId);
      void claim();
    })();
    executions.set(lease.runId, { lease, abort, done });
  }

  async function claim(): Promise<void> {
    if (claiming) return void (claimAgain = true);
    claiming = true;
    try {
      do {
        claimAgain = false;
        const free = options.concurrency - executions.size;
        if (stopped || !handler || free <= 0) break;
        const claimed = await leases.claim(owner, free, options.leaseTtlMs);
        for (const lease of claimed) execute(lease);
        if (claimed.length === free) claimAgain = true;
      } while (claimAgain);
    } catch (error) {
      logger.warn("claiming runs failed", { error: String(error) });
    } finally {
      claiming = false;
    }
  }

  async function renew(): Promise<void> {
    if (executions.size === 0) return;
    try {
      const held = new Set(await leases.renew(owner, options.leaseTtlMs));
      for (const [runId, execution] of executions) {
        if (!held.has(runId)) execution.abort.abort("lease-lost" satisfies HandBackReason);
      }
    } catch (error) {
      // The database is unreachable: nobody can take the runs over before it is back, so keep going.
      logger.warn("renewing run leases failed", { error: String(error) });
    }
  }

  notifications.listen(runsWaitingChannel, () => void claim());
  notifications.onReconnect(() => void claim());

  return {
    wake() {
      notifications.notify(runsWaitingChannel, "").catch((error: unknown) => logger.warn("waking run executors failed", { error: String(error) }));
    },
    process(newHandler) {
      handler = newHandler;
      timers.push(setInterval(() => void renew(), Math.max(50, Math.floor(options.leaseTtlMs / 3))));
      timers.push(setInterval(() => void claim(), options.sweepIntervalMs));
      for (const timer of timers) timer.unref();
      void claim();
    },
    async stop(timeoutMs) {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      const all = () => Promise.allSettled([...executions.values()].map((execution) => execution.done));
      const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([all(), timeout(timeoutMs)]);
      const handedBack = executions.size;
      for (const execution of executions.values()) execution.abort.abort("shutdown" satisfies HandBackReason);
      // Aborted handlers return quickly and release their leases; keep renewing until they have.
      const renewing = setInterval(() => void renew(), Math.max(50, Math.floor(options.leaseTtlMs / 3)));
      await Promise.race([all(), timeout(5000)]);
      clearInterval(renewing);
      return { handedBack };
    },
    running: () => executions.size,
  };
}
