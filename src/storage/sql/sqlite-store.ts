import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Store } from "../store.js";
import type { Database } from "./database.js";
import { sqliteFeatures } from "./dialect-features.js";
import { migrateToLatest } from "./migrate.js";
import { createSqlStore } from "./sql-store.js";

/** The embedded default: one SQLite file in WAL mode under the data dir. */
export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrateToLatest(db, sqliteFeatures);
  return createSqlStore(db, () => db.destroy());
}
