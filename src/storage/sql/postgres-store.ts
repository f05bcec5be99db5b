import { Kysely, PostgresDialect } from "kysely";
import { createPgPool } from "./pg-pool.js";
import type { Store } from "../store.js";
import type { Database } from "./database.js";
import { postgresFeatures } from "./dialect-features.js";
import { migrateToLatest } from "./migrate.js";
import { createSqlStore } from "./sql-store.js";

/** Postgres storage (`SPOOL_DATABASE_URL=postgres://…`): the same tables and queries as SQLite. */
export async function openPostgresStore(connectionString: string): Promise<Store> {
  const pool = createPgPool(connectionString, 10);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, postgresFeatures);
  return createSqlStore(db, postgresFeatures.name, () => db.destroy());
}
