import { sql, type RawBuilder } from "kysely";
import type { PendingRow } from "../collection.js";
import type { RunFence } from "./sql-run-leases.js";
import { databaseNowMs } from "./sql-leases.js";

/**
 * Postgres: the CTE `held`, one row (the run's id) when the statement may write: when `check` is given,
 * only while its lease is current (extending it, and locking the run's row until commit).
 */
export function heldCte(runId: string, check: RunFence | undefined): RawBuilder<unknown> {
  return check
    ? sql`held as (update runs set lease_expires_at = ${databaseNowMs("postgres")} + ${check.ttlMs}
          where id = ${runId} and lease_owner = ${check.lease.owner} and attempt = ${check.lease.attempt} returning id)`
    : sql`held as (select ${runId}::text as id)`;
}

/**
 * Postgres: CTEs inserting `rows` for each row of `held` (so none when the lease was lost), after `held`.
 * At most one row per table: the order of rows one statement inserts is not defined, and `seq` is a table's
 * creation order.
 */
export function heldInsertCtes(rows: readonly PendingRow[]): RawBuilder<unknown>[] {
  if (new Set(rows.map((pending) => pending.table)).size < rows.length) throw new Error("One statement inserts at most one row per table.");
  return rows.map(({ table, row, lease }, index) => {
    // Parameters in a select list have no type of their own: `created_at`, `expires_at` and the lease's
    // expiry and attempt are the non-text columns.
    const columns = ["id", "created_at", "parent_id", "run_id", "status", "body", "project_id", "expires_at"];
    const values = [
      sql`${row.id}`,
      sql`${row.created_at}::bigint`,
      sql`${row.parent_id}`,
      sql`${row.run_id}`,
      sql`${row.status}`,
      sql`${row.body}`,
      sql`${row.project_id}`,
      sql`${row.expires_at}::bigint`,
    ];
    if (lease) {
      columns.push("lease_owner", "lease_expires_at", "attempt");
      values.push(sql`${lease.owner}`, sql`${databaseNowMs("postgres")} + ${lease.ttlMs}::bigint`, sql`1`);
    }
    return sql`${sql.id(`held_insert_${index}`)} as (
      insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.id(column)))})
      select ${sql.join(values)} from held returning 1)`;
  });
}
