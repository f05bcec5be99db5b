import { sql, type Kysely } from "kysely";
import type { ThreadItemEntry } from "../../domain/items.js";
import type { DialectFeatures } from "../sql/dialect-features.js";
import { createObjectTable } from "./0001-object-tables.js";

interface LegacyEntry {
  entry: ThreadItemEntry;
  /** Where an entry goes among those of the same second (see `backfill`). */
  rank: number;
  seq: number;
}

/**
 * Each thread's item log (`thread_items`): the order in which its messages, tool-call steps and stored
 * items were written, so a thread can be listed as a conversation's items. From now on entries are
 * written with the messages and steps themselves (see `thread-item-log.ts`).
 */
export function threadItemsMigration(features: DialectFeatures) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createObjectTable(db, features, "thread_items");
      await backfill(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("thread_items").execute();
    },
  };
}

/**
 * Existing threads get entries in the order their content was most likely written: by second, then the
 * client's messages, then tool-call steps, then the messages runs wrote (a run usually calls its tools
 * before it answers), then by insertion within each table.
 */
async function backfill(db: Kysely<unknown>): Promise<void> {
  const { rows: messages } = await sql<{ id: string; created_at: number; parent_id: string; run_id: string | null; seq: number }>`
    select id, created_at, parent_id, run_id, seq from messages`.execute(db);
  const { rows: steps } = await sql<{ id: string; created_at: number; run_id: string; seq: number; body: string }>`
    select id, created_at, run_id, seq, body from run_steps`.execute(db);
  const legacy: LegacyEntry[] = messages.map((message) => ({
    entry: { id: message.id, created_at: Number(message.created_at), thread_id: message.parent_id, run_id: message.run_id, kind: "message" },
    rank: message.run_id === null ? 0 : 2,
    seq: Number(message.seq),
  }));
  for (const step of steps) {
    const { type, thread_id } = JSON.parse(step.body) as { type: string; thread_id: string };
    if (type !== "tool_calls") continue;
    legacy.push({ entry: { id: step.id, created_at: Number(step.created_at), thread_id, run_id: step.run_id, kind: "run_step" }, rank: 1, seq: Number(step.seq) });
  }
  legacy.sort((a, b) => a.entry.created_at - b.entry.created_at || a.rank - b.rank || a.seq - b.seq);
  for (const { entry } of legacy) {
    await sql`insert into thread_items (id, created_at, parent_id, run_id, status, body)
      values (${entry.id}, ${entry.created_at}, ${entry.thread_id}, ${entry.run_id}, ${entry.kind}, ${JSON.stringify(entry)})`.execute(db);
  }
}
