import type { Notifications } from "../events/notifications.js";
import type { LogFields, Logger } from "../logging/logger.js";
import type { Leases } from "../storage/leases.js";

/** Why an execution was asked to stop early; either way its row is handed back, not failed. */
export type HandBackReason = "shutdown" | "lease-lost";

export interface LeasedQueueOptions<L, K> {
  leases: Pick<Leases<L, K>, "claim" | "renew" | "release">;
  /** The key `leases.renew` reports for `lease`. */
  keyOf(lease: L): K;
  /** What a log line says about `lease`. */
  describe(lease: L): LogFields;
  /** "run", "ingestion": names the work in log lines. */
  kind: string;
  /** Where `wake` is sent and every process listens. */
  channel: string;
  notifications: Notifications;
  /** This process's identity in `lease_owner`; unique per process start. */
  owner: string;
  concurrency: number;
  leaseTtlMs: number;
  /** How often to look for rows whose lease lapsed (and notifications that were missed). */
  sweepIntervalMs: number;
  logger: Logger;
}

/**
 * Work on database rows under leases (see `leases.ts`). Guarantees:
 * - a row is handed to one handler at a time across all processes sharing the database;
 * - at most `concurrency` handler calls run at once per process;
 * - a process that dies stops renewing its leases; once they lapse another process takes its rows;
 * - `stop` stops claiming, waits for running handlers up to a timeout, then aborts the rest and gives their
 *   rows back at once, so another process (or the next start) takes them.
 */
export interface LeasedQueue<L> {
  /** Tells this and every other process that rows need work. Call after the commit that made it so. */
  wake(): void;
  /**
   * A free slot for a row this process is about to insert already leased to itself (`owner`, attempt 1,
   * `ttlMs`), so that no claim is needed: undefined when no slot is free or the queue is stopping (insert
   * the row unleased and `wake` instead). Exactly one of `start` (after the commit) or `cancel` must follow.
   */
  reserve(): Reservation<L> | undefined;
  /** `signal` aborts when the lease is lost or the process shuts down; its reason is a `HandBackReason`. */
  process(handler: (lease: L, signal: AbortSignal) => Promise<void>): void;
  stop(timeoutMs: number): Promise<{ handedBack: number }>;
  /** Handlers running in this process now. */
  running(): number;
}

export interface Reservation<L> {
  /** The lease to insert the row with. */
  owner: string;
  ttlMs: number;
  /** The row is committed with the lease: it is worked on here at once, as if claimed. */
  start(lease: L): void;
  /** The row was not inserted (or not leased): the slot is free again. */
  cancel(): void;
}

interface Execution<L> {
  lease: L;
  abort: AbortController;
  done: Promise<void>;
}

/** Claims with leases, renews them, and wakes on notifications. */
export function createLeasedQueue<L, K>(options: LeasedQueueOptions<L, K>): LeasedQueue<L> {
  const { leases, notifications, owner, logger, kind } = options;
  const executions = new Map<K, Execution<L>>();
  let handler: ((lease: L, signal: AbortSignal) => Promise<void>) | undefined;
  let stopped = false;
  let claiming = false;
  let claimAgain = false;
  /** Slots promised to rows being inserted leased to this process; each settles with `start` or `cancel`. */
  const reservations = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  const renewEveryMs = Math.max(50, Math.floor(options.leaseTtlMs / 3));

  function execute(lease: L): void {
    const abort = new AbortController();
    const key = options.keyOf(lease);
    const done = (async () => {
      try {
        await handler?.(lease, abort.signal);
      } catch (error) {
        logger.error(`${kind} job crashed`, { ...options.describe(lease), error: String(error) });
      }
      await leases.release(lease).catch((error: unknown) => logger.warn(`could not release a ${kind} lease`, { ...options.describe(lease), error: String(error) }));
      executions.delete(key);
      void claim();
    })();
    executions.set(key, { lease, abort, done });
  }

  async function claim(): Promise<void> {
    if (claiming) return void (claimAgain = true);
    claiming = true;
    try {
      do {
        claimAgain = false;
        const free = options.concurrency - executions.size - reservations.size;
        if (stopped || !handler || free <= 0) break;
        const claimed = await leases.claim(owner, free, options.leaseTtlMs);
        for (const lease of claimed) execute(lease);
        if (claimed.length === free) claimAgain = true;
      } while (claimAgain);
    } catch (error) {
      logger.warn(`claiming ${kind} jobs failed`, { error: String(error) });
    } finally {
      claiming = false;
    }
  }

  let renewedAt = performance.now();
  async function renew(): Promise<void> {
    if (executions.size === 0) return void (renewedAt = performance.now());
    try {
      const held = new Set(await leases.renew(owner, options.leaseTtlMs));
      renewedAt = performance.now();
      for (const [key, execution] of executions) {
        if (!held.has(key)) execution.abort.abort("lease-lost" satisfies HandBackReason);
      }
    } catch (error) {
      logger.warn(`renewing ${kind} leases failed`, { error: String(error) });
      // Cut off from the database for longer than a lease: other processes may already hold these rows, so
      // stop working on them (if the whole database was down, they are claimed again once it is back).
      if (performance.now() - renewedAt > options.leaseTtlMs) {
        for (const execution of executions.values()) execution.abort.abort("lease-lost" satisfies HandBackReason);
      }
    }
  }

  // This process's own wakes were acted on when sent.
  notifications.listen(options.channel, (from) => {
    if (from !== owner) void claim();
  });
  notifications.onReconnect(() => void claim());

  return {
    wake() {
      // Claimed here at once, without the round trip through the database; the other processes are told
      // too, for work this one has no free slot for.
      void claim();
      notifications.notify(options.channel, owner).catch((error: unknown) => logger.warn(`waking ${kind} workers failed`, { error: String(error) }));
    },
    reserve() {
      if (stopped || !handler || executions.size + reservations.size >= options.concurrency) return undefined;
      let settle = () => undefined as void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      reservations.add(settled);
      const finish = () => {
        const pending = reservations.delete(settled);
        settle();
        return pending;
      };
      return {
        owner,
        ttlMs: options.leaseTtlMs,
        start(lease) {
          if (!finish()) return;
          if (!stopped) return execute(lease);
          // Stopping (it gave up waiting for this insert): handed back at once, as stop does with running work.
          void leases.release(lease)
            .then(() => notifications.notify(options.channel, owner))
            .catch((error: unknown) => logger.warn(`could not hand back a ${kind} lease`, { ...options.describe(lease), error: String(error) }));
        },
        cancel() {
          if (finish()) void claim();
        },
      };
    },
    process(newHandler) {
      handler = newHandler;
      timers.push(setInterval(() => void renew(), renewEveryMs));
      timers.push(setInterval(() => void claim(), options.sweepIntervalMs));
      for (const timer of timers) timer.unref();
      void claim();
    },
    async stop(timeoutMs) {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      const all = () => Promise.allSettled([...executions.values()].map((execution) => execution.done));
      const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      // Rows being inserted leased to this process start here (or are handed back) once their insert commits.
      await Promise.race([Promise.all(reservations), timeout(timeoutMs)]);
      await Promise.race([all(), timeout(timeoutMs)]);
      const handedBack = executions.size;
      for (const execution of executions.values()) execution.abort.abort("shutdown" satisfies HandBackReason);
      // Aborted handlers return quickly and release their leases; keep renewing until they have.
      const renewing = setInterval(() => void renew(), renewEveryMs);
      await Promise.race([all(), timeout(5000)]);
      clearInterval(renewing);
      return { handedBack };
    },
    running: () => executions.size,
  };
}
