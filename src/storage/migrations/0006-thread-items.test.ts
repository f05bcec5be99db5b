import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import type { Message, RunStep } from "../../domain/objects.js";
import { openSqliteStore } from "../sql/sqlite-store.js";
import { sqliteFeatures } from "../sql/dialect-features.js";
import { threadItemsMigration } from "./0006-thread-items.js";

let directory: string | undefined;

afterEach(() => {
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
});

const message = (id: string, createdAt: number, runId: string | null): Message => ({
  id, object: "thread.message", created_at: createdAt, thread_id: "thread_old", status: "completed", incomplete_details: null,
  completed_at: createdAt, incomplete_at: null, role: runId ? "assistant" : "user", content: [], assistant_id: null, run_id: runId,
  attachments: [], metadata: {}, file_ids: [],
});

const step = (id: string, createdAt: number, type: RunStep["type"]): RunStep => ({
  id, object: "thread.run.step", created_at: createdAt, assistant_id: "asst_1", thread_id: "thread_old", run_id: "run_old", type,
  status: "completed",
  step_details: type === "tool_calls" ? { type, tool_calls: [] } : { type, message_creation: { message_id: "msg_answer" } },
  last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: createdAt, metadata: {}, usage: null, model_outputs: {},
});

it("gives the threads of an existing database their item log, tool calls before the answer of their run", async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "spool-migrate-"));
  const file = path.join(directory, "spool.db");
  const before = await openSqliteStore(file);
  // Written in an order the backfill must not rely on: the answer before the tool calls of the same second.
  await before.messages.insert(message("msg_question", 10, null));
  await before.messages.insert(message("msg_answer", 11, "run_old"));
  await before.runSteps.insert(step("step_answer", 11, "message_creation"));
  await before.runSteps.insert(step("step_tools", 11, "tool_calls"));
  await before.messages.insert(message("msg_next", 12, null));
  await before.close();
  // As a database from before 0006.
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  await threadItemsMigration(sqliteFeatures).down(db);
  await sql`delete from kysely_migration where name = '0006-thread-items'`.execute(db);
  await db.destroy();

  const store = await openSqliteStore(file);
  try {
    const entries = await store.threadItems.findAll({ parentId: "thread_old" });
    expect(entries.map((entry) => [entry.id, entry.kind])).toEqual([
      ["msg_question", "message"],
      ["step_tools", "run_step"],
      ["msg_answer", "message"],
      ["msg_next", "message"],
    ]);
  } finally {
    await store.close();
  }
});
