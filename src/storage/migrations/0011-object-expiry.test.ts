import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import { fileRecord } from "../../records/file-records.js";
import { openSqliteStore } from "../sql/sqlite-store.js";
import { sqliteFeatures } from "../sql/dialect-features.js";
import { objectExpiryMigration } from "./0011-object-expiry.js";

let directory: string | undefined;

afterEach(() => {
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

function openRaw(file: string): Kysely<unknown> {
  return new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
}

it("gives files stored before it their expiry, which the sweep finds through an index", async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-migrate-"));
  const file = path.join(directory, "spool.db");
  const before = await openSqliteStore(file);
  await before.files.insert(fileRecord("file_batch", "input.jsonl", 10, "batch", 2_000));
  await before.files.insert(fileRecord("file_kept", "notes.txt", 10, "assistants", null));
  await before.close();
  // As a database from before 0011: its rows have no expiry column, only their bodies say when they expire.
  const old = openRaw(file);
  await objectExpiryMigration(sqliteFeatures).down(old);
  await sql`delete from kysely_migration where name = '0011-object-expiry'`.execute(old);
  await old.destroy();

  const store = await openSqliteStore(file);
  try {
    expect(await store.files.findExpired(2_000, 10)).toEqual([{ id: "file_batch", projectId: "proj_default" }]);
    expect(await store.files.findExpired(1_999, 10)).toEqual([]);
  } finally {
    await store.close();
  }
  const migrated = openRaw(file);
  try {
    const { rows } = await sql<{ detail: string }>`explain query plan
      select id, project_id from files where expires_at <= ${2_000} order by expires_at limit 100`.execute(migrated);
    expect(rows.map((row) => row.detail).join("; ")).toContain("USING INDEX files_expires_at");
  } finally {
    await migrated.destroy();
  }
});
