import type { Kysely } from "kysely";
import type { ThreadItemEntry } from "../domain/items.js";
import type { Message, RunStep } from "../domain/objects.js";
import { Collection, type IndexedColumns, type PendingRow, type StoredObject } from "./collection.js";
import type { Database, ObjectTable } from "./sql/database.js";
import type { DialectFeatures } from "./sql/dialect-features.js";

/**
 * A collection whose inserts also append to the thread item log, all or none (on Postgres in the same
 * statement). Whichever API writes a message or a tool call (Assistants,
 * Responses, Conversations, the engine), a thread lists as conversation items in the order it was written.
 */
export class ThreadLoggedCollection<T extends StoredObject> extends Collection<T> {
  constructor(
    db: Kysely<Database>,
    dialect: DialectFeatures["name"],
    table: ObjectTable,
    columns: (object: T) => IndexedColumns,
    private readonly log: Collection<ThreadItemEntry>,
    private readonly entryOf: (object: T) => ThreadItemEntry | undefined,
    project?: string,
  ) {
    super(db, dialect, table, columns, project);
  }

  override rowsOf(object: T): PendingRow[] {
    const entry = this.entryOf(object);
    return entry ? [...super.rowsOf(object), ...this.log.rowsOf(entry)] : super.rowsOf(object);
  }

  override async delete(id: string, parentId?: string): Promise<boolean> {
    const deleted = await super.delete(id, parentId);
    if (deleted) await this.log.delete(id);
    return deleted;
  }
}

export function messageEntry(message: Message): ThreadItemEntry {
  return { id: message.id, created_at: message.created_at, thread_id: message.thread_id, run_id: message.run_id, kind: "message" };
}

/**
 * A message_creation step is shown through its message, so only tool-call steps get entries, and steps
 * with the reasoning before their turn (logged before the message, which is inserted with its step).
 */
export function stepEntry(step: RunStep): ThreadItemEntry | undefined {
  if (step.type !== "tool_calls" && !step.reasoning) return undefined;
  return { id: step.id, created_at: step.created_at, thread_id: step.thread_id, run_id: step.run_id, kind: "run_step" };
}
