import pg from "pg";
import type { Logger } from "../logging/logger.js";
import { createPgPool } from "../storage/sql/pg-pool.js";
import type { Notifications } from "./notifications.js";

const reconnectDelaysMs = [50, 200, 500, 1000, 2000];

/**
 * LISTEN/NOTIFY: one dedicated connection listens on every channel this process cares about, and
 * reconnects (re-listening) when the database goes away; notifications are sent from the pool.
 */
export function createPostgresNotifications(options: { connectionString: string; logger: Logger }): Notifications & { ready: Promise<void> } {
  const { logger } = options;
  const pool = createPgPool(options.connectionString, 2);
  const handlers = new Map<string, ((payload: string) => void)[]>();
  const reconnectHandlers: (() => void)[] = [];
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (message) => {
      for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? "");
    });
    next.on("error", (error) => {
      logger.warn("notification connection lost; reconnecting", { error: String(error) });
      void reconnect(next);
    });
    next.on("end", () => void reconnect(next));
    await next.connect();
    for (const channel of handlers.keys()) await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = next;
    failures = 0;
  }

  async function reconnect(lost: pg.Client): Promise<void> {
    if (closed || client !== lost) return;
    client = undefined;
    lost.end().catch(() => undefined);
    while (!closed && !client) {
      await new Promise((resolve) => setTimeout(resolve, reconnectDelaysMs[Math.min(failures, reconnectDelaysMs.length - 1)]));
      failures += 1;
      try {
        await connect();
        logger.info("notification connection restored");
        for (const handler of reconnectHandlers) handler();
      } catch (error) {
        logger.debug("notification reconnect failed", { error: String(error) });
      }
    }
  }

  const ready = connect();
  return {
    ready,
    async notify(channel, payload) {
      await pool.query("select pg_notify($1, $2)", [channel, payload]);
    },
    listen(channel, handler) {
      const known = handlers.has(channel);
      handlers.set(channel, [...(handlers.get(channel) ?? []), handler]);
      if (known) return;
      // A LISTEN twice (here and in a concurrent connect) is harmless.
      void ready
        .then(() => client?.query(`listen ${pg.escapeIdentifier(channel)}`))
        .catch((error: unknown) => logger.warn("listen failed", { channel, error: String(error) }));
    },
    onReconnect(handler) {
      reconnectHandlers.push(handler);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
