import type { Kysely } from "kysely";
import type { DialectFeatures } from "../sql/dialect-features.js";
import { createObjectTable } from "./0001-object-tables.js";

/** Containers of the Responses API's code_interpreter, and their files (bytes in the blob store). */
export function containersMigration(features: DialectFeatures) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createObjectTable(db, features, "containers");
      await createObjectTable(db, features, "container_files");
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("container_files").execute();
      await db.schema.dropTable("containers").execute();
    },
  };
}
