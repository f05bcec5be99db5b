import { sql, type Kysely, type RawBuilder } from "kysely";
import type { RunEventLog, RunLease, RunLeases } from "../run-leases.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";

/** Statuses in which a run needs an executor; `requires_action` waits for the client, so nobody holds it. */
const executable = sql.join(["queued", "in_progress", "cancelling"].map((status) => sql.lit(status)));

/** The channel a Postgres process is told on when a run's events were appended (payload: the run id). */
export const runEventsChannel = "spool_run_events";

/** Lease times come from the database's clock, so processes on hosts with skewed clocks agree. */
function databaseNowMs(dialect: DialectFeatures["name"]): RawBuilder<number> {
  return dialect === "postgres"
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

export function createSqlRunLeases(db: Kysely<Database>, dialect: DialectFeatures["name"]): RunLeases {
  const now = databaseNowMs(dialect);
  // SQLite has one writer at a time, so its claim needs no row locking.
  const skipLocked = dialect === "postgres" ? sql`for update skip locked` : sql``;
  return {
    async claim(owner, limit, ttlMs) {
      const { rows } = await sql<{ id: string; attempt: number }>`
        update runs set lease_owner = ${owner}, lease_expires_at = ${now} + ${ttlMs}, attempt = attempt + 1
        where seq in (
          select seq from runs
          where status in (${executable}) and (lease_owner is null or lease_expires_at < ${now})
          order by seq limit ${limit} ${skipLocked}
        )
        returning id, attempt`.execute(db);
      return rows.map((row) => ({ runId: row.id, owner, attempt: Number(row.attempt) }));
    },
    async renew(owner, ttlMs) {
      const { rows } = await sql<{ id: string }>`
        update runs set lease_expires_at = ${now} + ${ttlMs} where lease_owner = ${owner} returning id`.execute(db);
      return rows.map((row) => row.id);
    },
    async hold(lease: RunLease, ttlMs) {
      const result = await sql`
        update runs set lease_expires_at = ${now} + ${ttlMs}
        where id = ${lease.runId} and lease_owner = ${lease.owner} and attempt = ${lease.attempt}`.execute(db);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async release(lease) {
      await sql`
        update runs set lease_owner = null, lease_expires_at = null
        where id = ${lease.runId} and lease_owner = ${lease.owner} and attempt = ${lease.attempt}`.execute(db);
    },
    async releaseAll() {
      await sql`update runs set lease_owner = null, lease_expires_at = null where lease_owner is not null`.execute(db);
    },
  };
}

export function createSqlRunEventLog(db: Kysely<Database>, dialect: DialectFeatures["name"]): RunEventLog {
  const now = databaseNowMs(dialect);
  return {
    async append(runId, origin, body) {
      // Taking the next number locks the run's head row until commit, so entries commit in number order.
      const next = async (connection: Kysely<Database>) => {
        const { rows } = await sql<{ seq: number }>`
          insert into run_event_heads (run_id, seq) values (${runId}, 1)
          on conflict (run_id) do update set seq = run_event_heads.seq + 1
          returning seq`.execute(connection);
        const seq = Number(rows[0]!.seq);
        await sql`insert into run_events (run_id, seq, origin, created_at, body) values (${runId}, ${seq}, ${origin}, ${now}, ${body})`.execute(connection);
        // Sent on commit, with the entry.
        if (dialect === "postgres") await sql`select pg_notify(${runEventsChannel}, ${runId})`.execute(connection);
        return seq;
      };
      return db.isTransaction ? next(db) : db.transaction().execute(next);
    },
    async readAfter(runId, afterSeq, limit) {
      const rows = await db
        .selectFrom("run_events")
        .select(["seq", "origin", "body"])
        .where("run_id", "=", runId)
        .where("seq", ">", afterSeq)
        .orderBy("seq")
        .limit(limit)
        .execute();
      return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
    },
    async latestSeq(runId) {
      const row = await db.selectFrom("run_event_heads").select("seq").where("run_id", "=", runId).executeTakeFirst();
      return row ? Number(row.seq) : 0;
    },
    async prune(olderThanMs) {
      const result = await db.deleteFrom("run_events").where("created_at", "<", olderThanMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
