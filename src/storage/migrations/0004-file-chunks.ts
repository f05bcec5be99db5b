import type { Kysely, Migration } from "kysely";
import type { DialectFeatures } from "../sql/dialect-features.js";

/**
 * File bytes in the database (`postgres-blob-store.ts`), so that every Spool process on one Postgres
 * serves every file. SQLite installs keep file bytes on disk beside the database, so there is no table.
 */
export function fileChunksMigration(features: DialectFeatures): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (features.name !== "postgres") return;
      await db.schema
        .createTable("file_chunks")
        .addColumn("file_id", "text", (column) => column.notNull())
        .addColumn("chunk_index", "integer", (column) => column.notNull())
        .addColumn("bytes", "bytea", (column) => column.notNull())
        .addPrimaryKeyConstraint("file_chunks_pkey", ["file_id", "chunk_index"])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("file_chunks").ifExists().execute();
    },
  };
}
