import type { Kysely, Migration } from "kysely";

/**
 * Idempotency keys (`idempotency-keys.ts`): one row per scoped key, the unique key every process on the
 * database claims against; the holder's lease while its request works, whether the work took effect, and
 * the stored answer. `created_at` (database clock, ms) drives the 24-hour expiry.
 */
export function idempotencyKeysMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("idempotency_keys")
        .addColumn("id", "text", (column) => column.primaryKey())
        .addColumn("created_at", "bigint", (column) => column.notNull())
        .addColumn("holder", "text")
        .addColumn("lease_expires_at", "bigint")
        .addColumn("took_effect", "integer", (column) => column.notNull().defaultTo(0))
        .addColumn("effect_ref", "text")
        .addColumn("fingerprint", "text")
        .addColumn("response_status", "integer")
        .addColumn("response_headers", "text")
        .addColumn("response_body", "text")
        .execute();
      await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").column("created_at").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("idempotency_keys").execute();
    },
  };
}
