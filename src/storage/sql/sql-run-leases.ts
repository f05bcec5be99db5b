import { sql, type Kysely } from "kysely";
import type { Run } from "../../domain/objects.js";
import type { RunEventLog, RunLease, RunLeases } from "../run-leases.js";
import { LeaseLostError } from "../storage-errors.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";
import type { PendingRow } from "../collection.js";
import { heldCte, heldInsertCtes } from "./held-inserts.js";
import { databaseNowMs, sqlLeaseStatements } from "./sql-leases.js";

/** Statuses in which a run needs an executor; `requires_action` waits for the client, so nobody holds it. */
const executable = ["queued", "in_progress", "cancelling"];

/** The channel a Postgres process is told on when a run's events were appended (payload: "<run id> <origin>"). */
export const runEventsChannel = "spool_run_events";

export function createSqlRunLeases(db: Kysely<Database>, dialect: DialectFeatures["name"]): RunLeases {
  const statements = sqlLeaseStatements(db, dialect, "runs", executable);
  return {
    async claim(owner, limit, ttlMs) {
      const rows = await statements.claim(owner, limit, ttlMs);
      return rows.map((row) => ({ runId: row.id, projectId: row.project_id, owner, attempt: row.attempt, claimed: { run: JSON.parse(row.body) as Run, eventSeq: row.event_seq ?? 0 } }));
    },
    async renew(owner, ttlMs) {
      return (await statements.renew(owner, ttlMs)).map((row) => row.id);
    },
    hold: (lease, ttlMs) => statements.hold({ id: lease.runId }, lease.owner, lease.attempt, ttlMs),
    release: (lease) => statements.release({ id: lease.runId }, lease.owner, lease.attempt),
    releaseAll: () => statements.releaseAll(),
  };
}

/** A transaction's condition that `lease` is still current when it commits (see `Store.fence`). */
export interface RunFence {
  lease: RunLease;
  ttlMs: number;
  /** Confirmed (and the run's row locked) by a statement of this transaction. */
  held: boolean;
}

/**
 * `fences`: those of the transaction this log writes in, by run id. `pending`: rows a one-statement
 * transaction has yet to insert (see `Store.insertTransaction`); on Postgres an append takes them along.
 */
export function createSqlRunEventLog(db: Kysely<Database>, dialect: DialectFeatures["name"], fences?: Map<string, RunFence>, pending?: PendingRow[]): RunEventLog {
  const now = databaseNowMs(dialect);
  return {
    async append(runId, origin, body) {
      // Taking the next number locks the run's head row until commit, so entries commit in number order.
      if (dialect === "postgres") {
        // An unconfirmed fence on this run is checked (and its lease extended) by this statement too: the
        // entry is numbered only if the lease is current, and the run's row stays locked until commit.
        const fence = fences?.get(runId);
        const check = fence && !fence.held ? fence : undefined;
        // Inserted only if the entry is (a one-statement transaction's rows: its only statement).
        const inserts = heldInsertCtes(pending?.splice(0) ?? []).map((insert) => sql`${insert}, `);
        // One statement, one round trip: number, entry and notification (sent on commit, with the entry).
        const { rows } = await sql<{ seq: number }>`
          with ${heldCte(runId, check)}, ${sql.join(inserts, sql``)}head as (
            insert into run_event_heads (run_id, seq) select id, 1 from held
            on conflict (run_id) do update set seq = run_event_heads.seq + 1
            returning seq
          ), appended as (
            insert into run_events (run_id, seq, origin, created_at, body)
            select ${runId}, seq, ${origin}, ${now}, ${body} from head
            returning seq
          )
          select seq, pg_notify(${runEventsChannel}, ${`${runId} ${origin}`}) from appended`.execute(db);
        const [row] = rows;
        if (!row) throw new LeaseLostError(runId);
        if (check) check.held = true;
        return Number(row.seq);
      }
      // SQLite has no writes inside WITH: two statements in one transaction.
      const next = async (connection: Kysely<Database>) => {
        const { rows } = await sql<{ seq: number }>`
          insert into run_event_heads (run_id, seq) values (${runId}, 1)
          on conflict (run_id) do update set seq = run_event_heads.seq + 1
          returning seq`.execute(connection);
        const seq = Number(rows[0]!.seq);
        await sql`insert into run_events (run_id, seq, origin, created_at, body) values (${runId}, ${seq}, ${origin}, ${now}, ${body})`.execute(connection);
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
