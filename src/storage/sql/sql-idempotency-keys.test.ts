import { expect, it } from "vitest";
import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { defineIdempotencyKeysContract } from "../idempotency-keys.contract.js";
import { openPostgresStore } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";

const postgres = throwawayPostgresForFile();

defineIdempotencyKeysContract("sqlite", () => openSqliteStore(":memory:"));
defineIdempotencyKeysContract("postgres", async () => openPostgresStore(await postgres.freshDatabase("idempotency")));

it("postgres: of ten processes claiming one key at once, exactly one gets it", async () => {
  const url = await postgres.freshDatabase("idempotency_race");
  const stores = await Promise.all(Array.from({ length: 10 }, () => openPostgresStore(url)));
  try {
    const claims = await Promise.all(
      stores.map((store, index) => store.idempotencyKeys.claim("k", `holder-${index}`, { fingerprint: "fp", leaseMs: 60_000, lifetimeMs: 60_000 })),
    );
    expect(claims.filter((claim) => claim.state === "claimed")).toHaveLength(1);
    expect(claims.filter((claim) => claim.state === "in_progress")).toHaveLength(9);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});
