import type { Kysely } from "kysely";
import type { IngestionLeases } from "../ingestion-leases.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";
import { sqlLeaseStatements } from "./sql-leases.js";

export function createSqlIngestionLeases(db: Kysely<Database>, dialect: DialectFeatures["name"]): IngestionLeases {
  const statements = sqlLeaseStatements(db, dialect, "vector_store_files", ["in_progress"]);
  return {
    async claim(owner, limit, ttlMs) {
      const rows = await statements.claim(owner, limit, ttlMs);
      // A vector store file's parent is its store (see sql-store.ts), so `parent_id` is never null here.
      return rows.map((row) => ({ vectorStoreId: row.parent_id ?? "", fileId: row.id, job: row.seq, owner, attempt: row.attempt }));
    },
    async renew(owner, ttlMs) {
      return (await statements.renew(owner, ttlMs)).map((row) => row.seq);
    },
    hold: (lease, ttlMs) => statements.hold({ seq: lease.job }, lease.owner, lease.attempt, ttlMs),
    release: (lease) => statements.release({ seq: lease.job }, lease.owner, lease.attempt),
    releaseAll: () => statements.releaseAll(),
  };
}
