import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, type SqliteDatabase as KyselySqliteDatabase } from "kysely";
import type { Store } from "../store.js";
import type { Database } from "./database.js";
import { startBackgroundCheckpoints } from "./background-checkpoints.js";
import { FifoSqliteDialect } from "./fifo-sqlite-dialect.js";
import { sqliteFeatures } from "./dialect-features.js";
import { migrateToLatest } from "./migrate.js";
import { createSqlStore } from "./sql-store.js";

const maxCachedStatements = 512;

/** better-sqlite3 statements are reusable, and preparing one costs more than running it: keep them. */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= maxCachedStatements) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export interface SqliteStoreOptions {
  checkpointIntervalMs?: number;
  /** Called if background checkpoints stop working (SQLite's automatic ones take over). */
  onCheckpointerError?: (error: unknown) => void;
}

/** The embedded default: one SQLite file in WAL mode under the data dir. */
export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<Store> {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("busy_timeout = 5000");
  const checkpoints =
    file === ":memory:"
      ? undefined
      : startBackgroundCheckpoints(database, file, {
          intervalMs: options.checkpointIntervalMs ?? 500,
          onFallback: options.onCheckpointerError ?? (() => undefined),
        });
  const db = new Kysely<Database>({ dialect: new FifoSqliteDialect({ database: withStatementCache(database) }) });
  await migrateToLatest(db, sqliteFeatures);
  return createSqlStore(db, sqliteFeatures.name, async () => {
    await checkpoints?.stop();
    await db.destroy();
  });
}
