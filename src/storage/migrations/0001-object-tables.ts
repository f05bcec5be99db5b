import type { Kysely } from "kysely";
import { objectTables } from "../sql/database.js";
import type { DialectFeatures } from "../sql/dialect-features.js";
import { defaultProjectId } from "../../domain/projects.js";

/**
 * One table of JSON objects (see `ObjectRow`); later migrations add tables of the same shape with it.
 * Tables created before projects existed get `project_id` from migration 0009, and `expires_at` from 0011;
 * both skip tables made here with the column already.
 */
export async function createObjectTable(db: Kysely<unknown>, features: DialectFeatures, table: string, uniqueColumns: string[] = ["id"]): Promise<void> {
  await db.schema
    .createTable(table)
    .addColumn("seq", features.autoIncrementType, (column) => {
      const key = column.primaryKey();
      return features.needsAutoIncrementKeyword ? key.autoIncrement() : key;
    })
    .addColumn("id", "text", (column) => column.notNull())
    .addColumn("created_at", "bigint", (column) => column.notNull())
    .addColumn("parent_id", "text")
    .addColumn("run_id", "text")
    .addColumn("status", "text")
    .addColumn("body", "text", (column) => column.notNull())
    .addColumn("project_id", "text", (column) => column.notNull().defaultTo(defaultProjectId))
    .addColumn("expires_at", "bigint")
    .execute();
  await db.schema.createIndex(`${table}_id_unique`).on(table).columns(uniqueColumns).unique().execute();
  await db.schema.createIndex(`${table}_parent`).on(table).columns(["parent_id", "seq"]).execute();
}

export function objectTablesMigration(features: DialectFeatures) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of objectTables) {
        // A vector store file's id is the File's id, so it is unique only within its store.
        await createObjectTable(db, features, table, table === "vector_store_files" ? ["parent_id", "id"] : ["id"]);
      }
      await db.schema.createIndex("runs_status").on("runs").columns(["status"]).execute();
      await db.schema.createIndex("messages_run").on("messages").columns(["run_id"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of objectTables) await db.schema.dropTable(table).execute();
    },
  };
}
