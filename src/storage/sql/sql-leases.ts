import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";

/** The tables whose rows processes work on under a lease (their columns: `LeasedRow` in database.ts). */
export type LeasedTable = "runs" | "vector_store_files";

/** How a lease names its row: a run by its id (never reused), a vector store file by its seq (see `IngestionLease.job`). */
export type LeasedRowKey = { id: string } | { seq: number };

export interface ClaimedRow {
  seq: number;
  id: string;
  parent_id: string | null;
  project_id: string;
  attempt: number;
  /** The row's object as claimed. */
  body: string;
  /** For a run: the number of its event log's latest entry, in the claim's snapshot (null: none yet). */
  event_seq: number | null;
}

/** Lease times come from the database's clock, so processes on hosts with skewed clocks agree. */
export function databaseNowMs(dialect: DialectFeatures["name"]): RawBuilder<number> {
  return dialect === "postgres"
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

/** The SQL behind `Leases` (see `leases.ts`), for one table; callers map rows to their own lease type. */
export interface LeaseStatements {
  claim(owner: string, limit: number, ttlMs: number): Promise<ClaimedRow[]>;
  renew(owner: string, ttlMs: number): Promise<{ seq: number; id: string }[]>;
  hold(key: LeasedRowKey, owner: string, attempt: number, ttlMs: number): Promise<boolean>;
  release(key: LeasedRowKey, owner: string, attempt: number): Promise<void>;
  releaseAll(): Promise<void>;
}

/** Rows of `table` in one of `statuses` need a holder; rows in any other status are never claimed. */
export function sqlLeaseStatements(db: Kysely<Database>, dialect: DialectFeatures["name"], table: LeasedTable, statuses: readonly string[]): LeaseStatements {
  const now = databaseNowMs(dialect);
  const rows = sql.table(table);
  const claimable = sql.join(statuses.map((status) => sql.lit(status)));
  // SQLite has one writer at a time, so its claim needs no row locking.
  const skipLocked = dialect === "postgres" ? sql`for update skip locked` : sql``;
  const matches = (key: LeasedRowKey) => ("id" in key ? sql`id = ${key.id}` : sql`seq = ${key.seq}`);
  const eventSeq = table === "runs" ? sql`(select heads.seq from run_event_heads heads where heads.run_id = runs.id)` : sql`null`;
  return {
    async claim(owner, limit, ttlMs) {
      const { rows: claimed } = await sql<ClaimedRow>`
        update ${rows} set lease_owner = ${owner}, lease_expires_at = ${now} + ${ttlMs}, attempt = attempt + 1
        where seq in (
          select seq from ${rows}
          where status in (${claimable}) and (lease_owner is null or lease_expires_at < ${now})
          order by seq limit ${limit} ${skipLocked}
        )
        returning seq, id, parent_id, project_id, attempt, body, ${eventSeq} as event_seq`.execute(db);
      return claimed.map((row) => ({ ...row, seq: Number(row.seq), attempt: Number(row.attempt), event_seq: row.event_seq === null ? null : Number(row.event_seq) }));
    },
    async renew(owner, ttlMs) {
      const { rows: held } = await sql<{ seq: number; id: string }>`
        update ${rows} set lease_expires_at = ${now} + ${ttlMs} where lease_owner = ${owner} returning seq, id`.execute(db);
      return held.map((row) => ({ seq: Number(row.seq), id: row.id }));
    },
    async hold(key, owner, attempt, ttlMs) {
      const result = await sql`
        update ${rows} set lease_expires_at = ${now} + ${ttlMs}
        where ${matches(key)} and lease_owner = ${owner} and attempt = ${attempt}`.execute(db);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async release(key, owner, attempt) {
      await sql`
        update ${rows} set lease_owner = null, lease_expires_at = null
        where ${matches(key)} and lease_owner = ${owner} and attempt = ${attempt}`.execute(db);
    },
    async releaseAll() {
      await sql`update ${rows} set lease_owner = null, lease_expires_at = null where lease_owner is not null`.execute(db);
    },
  };
}
