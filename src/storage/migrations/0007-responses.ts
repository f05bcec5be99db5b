import type { Kysely } from "kysely";
import type { DialectFeatures } from "../sql/dialect-features.js";
import { createObjectTable } from "./0001-object-tables.js";

/** Responses (the Responses API): each one's settings and input; it executes as the run with its id. */
export function responsesMigration(features: DialectFeatures) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createObjectTable(db, features, "responses");
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("responses").execute();
    },
  };
}
