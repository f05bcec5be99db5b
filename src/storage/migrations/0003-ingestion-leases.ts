import { sql, type Kysely } from "kysely";

/**
 * Ingestion dispatch through the database, as runs have it (0002): each vector store file carries the
 * lease of the process ingesting it (owner, expiry, attempt as a fencing token). The partial index keeps
 * claims cheap when most files have long finished.
 */
export function ingestionLeasesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("vector_store_files").addColumn("lease_owner", "text").execute();
      await db.schema.alterTable("vector_store_files").addColumn("lease_expires_at", "bigint").execute();
      await db.schema.alterTable("vector_store_files").addColumn("attempt", "integer", (column) => column.notNull().defaultTo(0)).execute();
      await sql`create index vector_store_files_in_progress on vector_store_files (seq) where status = 'in_progress'`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await sql`drop index vector_store_files_in_progress`.execute(db);
      for (const column of ["attempt", "lease_expires_at", "lease_owner"]) {
        await db.schema.alterTable("vector_store_files").dropColumn(column).execute();
      }
    },
  };
}
