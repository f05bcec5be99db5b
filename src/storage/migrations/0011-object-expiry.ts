import { sql, type Kysely } from "kysely";
import type { DialectFeatures } from "../sql/dialect-features.js";

/** The object tables (see `createObjectTable`), and whether each has `expires_at` yet. */
async function objectTables(db: Kysely<unknown>): Promise<{ name: string; expires: boolean }[]> {
  const tables = await db.introspection.getTables();
  return tables.flatMap((table) => {
    const columns = new Set(table.columns.map((column) => column.name));
    return columns.has("body") && columns.has("parent_id") ? [{ name: table.name, expires: columns.has("expires_at") }] : [];
  });
}

/**
 * Objects that disappear on their own: every object table gets `expires_at` (Unix seconds, null for never),
 * the time from which reads no longer see a row and the housekeeping sweep deletes it (see `collection.ts`).
 * Tables made by `createObjectTable` after this have it already. Files are the ones that expire: those
 * stored before get the column from their body, and the sweep finds them through an index of their own
 * instead of scanning every file.
 */
export function objectExpiryMigration(features: DialectFeatures) {
  const storedExpiry =
    features.name === "postgres" ? sql`(body::json ->> 'expires_at')::bigint` : sql`json_extract(body, '$.expires_at')`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of await objectTables(db)) {
        if (!table.expires) await db.schema.alterTable(table.name).addColumn("expires_at", "bigint").execute();
      }
      await sql`update files set expires_at = ${storedExpiry} where expires_at is null`.execute(db);
      await db.schema.createIndex("files_expires_at").on("files").column("expires_at").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex("files_expires_at").execute();
      for (const table of await objectTables(db)) {
        if (table.expires) await db.schema.alterTable(table.name).dropColumn("expires_at").execute();
      }
    },
  };
}
