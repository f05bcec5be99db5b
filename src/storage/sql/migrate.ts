import { Migrator, type Kysely, type Migration } from "kysely";
import { objectTablesMigration } from "../migrations/0001-object-tables.js";
import { runLeasesMigration } from "../migrations/0002-run-leases.js";
import { ingestionLeasesMigration } from "../migrations/0003-ingestion-leases.js";
import { fileChunksMigration } from "../migrations/0004-file-chunks.js";
import { vectorChunksMigration } from "../migrations/0005-vector-chunks.js";
import { threadItemsMigration } from "../migrations/0006-thread-items.js";
import { responsesMigration } from "../migrations/0007-responses.js";
import { idempotencyKeysMigration } from "../migrations/0008-idempotency-keys.js";
import { projectsMigration } from "../migrations/0009-projects.js";
import { containersMigration } from "../migrations/0010-containers.js";
import { objectExpiryMigration } from "../migrations/0011-object-expiry.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";

/** Versioned migrations, applied in name order at startup. */
function migrations(features: DialectFeatures): Record<string, Migration> {
  return {
    "0001-object-tables": objectTablesMigration(features),
    "0002-run-leases": runLeasesMigration(),
    "0003-ingestion-leases": ingestionLeasesMigration(),
    "0004-file-chunks": fileChunksMigration(features),
    "0005-vector-chunks": vectorChunksMigration(features),
    "0006-thread-items": threadItemsMigration(features),
    "0007-responses": responsesMigration(features),
    "0008-idempotency-keys": idempotencyKeysMigration(),
    "0009-projects": projectsMigration(features),
    "0010-containers": containersMigration(features),
    "0011-object-expiry": objectExpiryMigration(features),
  };
}

export async function migrateToLatest(db: Kysely<Database>, features: DialectFeatures): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(features) },
    // Numbers are reserved when a feature starts, so one may land after higher ones a database already has.
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
