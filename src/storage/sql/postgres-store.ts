import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Store } from "../store.js";
import type { Database } from "./database.js";
import { postgresFeatures } from "./dialect-features.js";
import { migrateToLatest } from "./migrate.js";
import { createSqlStore } from "./sql-store.js";

const int8Oid = 20;

/** Postgres storage (`SPOOL_DATABASE_URL=postgres://…`): the same tables and queries as SQLite. */
export async function openPostgresStore(connectionString: string): Promise<Store> {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // `seq` and timestamps are bigint; they fit in a JavaScript number, so read them as one.
    types: { getTypeParser: (oid, format) => (oid === int8Oid ? Number : pg.types.getTypeParser(oid, format)) },
  });
  // An idle connection that the server drops (restart, failover) must not crash the process; the pool
  // opens a new one for the next query, and queries fail meanwhile (answered with a 503).
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, postgresFeatures);
  return createSqlStore(db, postgresFeatures.name, () => db.destroy());
}
