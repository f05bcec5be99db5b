import { sql, type Kysely } from "kysely";
import type { IdempotencyClaim, IdempotencyKeys } from "../idempotency-keys.js";
import type { Database } from "./database.js";
import type { DialectFeatures } from "./dialect-features.js";
import { databaseNowMs } from "./sql-leases.js";

interface KeyRow {
  holder: string | null;
  took_effect: number;
  effect_ref: string | null;
  fingerprint: string | null;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  lapsed: number | boolean;
}

function classify(row: KeyRow): IdempotencyClaim {
  const fingerprint = row.fingerprint;
  if (row.response_status !== null) {
    const headers = JSON.parse(row.response_headers ?? "{}") as Record<string, string>;
    return { state: "answered", fingerprint, answer: { status: Number(row.response_status), headers, body: row.response_body } };
  }
  // Postgres answers the comparison as a boolean, SQLite as 0/1.
  if (Number(row.took_effect) === 1 && Boolean(Number(row.lapsed))) return { state: "lost", fingerprint, effectRef: row.effect_ref };
  return { state: "in_progress", fingerprint };
}

/** A claim that lost a race with a release or a takeover finds the row changed; it looks again, this often. */
const claimAttempts = 5;

export function createSqlIdempotencyKeys(db: Kysely<Database>, dialect: DialectFeatures["name"]): IdempotencyKeys {
  const now = databaseNowMs(dialect);
  return {
    async claim(key, holder, { fingerprint, leaseMs, lifetimeMs }) {
      for (let attempt = 0; attempt < claimAttempts; attempt += 1) {
        // One statement, so concurrent claims in any number of processes meet at the primary key: the
        // loser's insert waits for the winner's row and then finds it (neither expired nor abandoned).
        const { rows: claimed } = await sql<{ holder: string }>`
          insert into idempotency_keys (id, created_at, holder, lease_expires_at, took_effect, fingerprint)
          values (${key}, ${now}, ${holder}, ${now} + ${leaseMs}, 0, ${fingerprint})
          on conflict (id) do update set
            created_at = excluded.created_at, holder = excluded.holder, lease_expires_at = excluded.lease_expires_at,
            took_effect = 0, effect_ref = null, fingerprint = excluded.fingerprint,
            response_status = null, response_headers = null, response_body = null
          where idempotency_keys.created_at < ${now} - ${lifetimeMs}
             or (idempotency_keys.response_status is null and idempotency_keys.took_effect = 0 and idempotency_keys.lease_expires_at < ${now})
          returning holder`.execute(db);
        if (claimed[0]?.holder === holder) return { state: "claimed" };
        const { rows } = await sql<KeyRow>`
          select holder, took_effect, effect_ref, fingerprint, response_status, response_headers, response_body,
                 (lease_expires_at < ${now}) as lapsed
          from idempotency_keys where id = ${key}`.execute(db);
        if (rows[0]) return classify(rows[0]);
      }
      return { state: "in_progress", fingerprint: null };
    },
    async renew(key, holder, leaseMs) {
      const result = await sql`
        update idempotency_keys set lease_expires_at = ${now} + ${leaseMs}
        where id = ${key} and holder = ${holder} and response_status is null`.execute(db);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async recordEffect(key, holder, effectRef) {
      const result = await sql`
        update idempotency_keys set took_effect = 1, effect_ref = coalesce(${effectRef}, effect_ref)
        where id = ${key} and holder = ${holder} and response_status is null`.execute(db);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async answer(key, holder, fingerprint, answer) {
      const result = await sql`
        update idempotency_keys set
          response_status = ${answer.status}, response_headers = ${JSON.stringify(answer.headers)}, response_body = ${answer.body},
          fingerprint = coalesce(fingerprint, ${fingerprint}), holder = null, lease_expires_at = null
        where id = ${key} and holder = ${holder}`.execute(db);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async release(key, holder) {
      await sql`delete from idempotency_keys where id = ${key} and holder = ${holder} and took_effect = 0`.execute(db);
    },
    async deleteExpired(lifetimeMs) {
      const result = await sql`delete from idempotency_keys where created_at < ${now} - ${lifetimeMs}`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
