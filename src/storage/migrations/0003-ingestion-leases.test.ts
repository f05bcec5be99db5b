import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { openSqliteStore } from "../sql/sqlite-store.js";
import { ingestionLeasesMigration } from "./0003-ingestion-leases.js";

let directory: string | undefined;

afterEach(() => {
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

it("is applied to a database that already ran the migrations numbered after it", async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-migrate-"));
  const file = path.join(directory, "spool.db");
  await (await openSqliteStore(file)).close();
  // As a database migrated before 0003 existed: it has 0004 and 0005, not 0003.
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  await ingestionLeasesMigration().down(db);
  await sql`delete from kysely_migration where name = '0003-ingestion-leases'`.execute(db);
  await db.destroy();

  const store = await openSqliteStore(file);
  try {
    // Claiming reads and writes the lease columns, which exist again.
    expect(await store.ingestionLeases.claim("owner", 1, 1000)).toEqual([]);
  } finally {
    await store.close();
  }
});
