import { sql, type Kysely } from "kysely";

const activeStatuses = ["queued", "in_progress", "requires_action", "cancelling"];

/**
 * Run dispatch through the database: each run carries its executor's lease (owner, expiry, attempt as a
 * fencing token); `run_events` is the log other processes read a run's events from, numbered per run by
 * `run_event_heads`. One active run per thread becomes a partial unique index.
 */
export function runLeasesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("runs").addColumn("lease_owner", "text").execute();
      await db.schema.alterTable("runs").addColumn("lease_expires_at", "bigint").execute();
      await db.schema.alterTable("runs").addColumn("attempt", "integer", (column) => column.notNull().defaultTo(0)).execute();
      await failDuplicateActiveRuns(db);
      const statuses = sql.join(activeStatuses.map((status) => sql.lit(status)));
      await sql`create unique index runs_one_active_per_thread on runs (parent_id) where status in (${statuses})`.execute(db);
      await db.schema
        .createTable("run_events")
        .addColumn("run_id", "text", (column) => column.notNull())
        .addColumn("seq", "bigint", (column) => column.notNull())
        .addColumn("origin", "text", (column) => column.notNull())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("body", "text", (column) => column.notNull())
        .addPrimaryKeyConstraint("run_events_key", ["run_id", "seq"])
        .execute();
      await db.schema.createIndex("run_events_created").on("run_events").column("created_at").execute();
      await db.schema
        .createTable("run_event_heads")
        .addColumn("run_id", "text", (column) => column.primaryKey())
        .addColumn("seq", "bigint", (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("run_event_heads").execute();
      await db.schema.dropTable("run_events").execute();
      await sql`drop index runs_one_active_per_thread`.execute(db);
    },
  };
}

/**
 * Before this index existed, concurrent creates on Postgres could leave a thread with several active runs;
 * all but the newest are failed so the index can be built.
 */
async function failDuplicateActiveRuns(db: Kysely<unknown>): Promise<void> {
  const statuses = sql.join(activeStatuses.map((status) => sql.lit(status)));
  const { rows } = await sql<{ id: string; body: string }>`
    select id, body from runs r
    where status in (${statuses})
      and exists (select 1 from runs newer where newer.parent_id = r.parent_id and newer.status in (${statuses}) and newer.seq > r.seq)`.execute(db);
  const now = Math.floor(Date.now() / 1000);
  for (const row of rows) {
    const run = JSON.parse(row.body) as Record<string, unknown>;
    const failed = {
      ...run,
      status: "failed",
      failed_at: now,
      expires_at: null,
      required_action: null,
      last_error: { code: "server_error", message: "This thread had more than one active run; only the newest was kept." },
    };
    await sql`update runs set status = 'failed', body = ${JSON.stringify(failed)} where id = ${row.id}`.execute(db);
  }
}
