import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as wait } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { defineStoreContract } from "../store.contract.js";
import type { Store } from "../store.js";
import { openSqliteStore } from "./sqlite-store.js";

function newDatabaseFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-store-")), "spool.db");
}

defineStoreContract("sqlite (file, WAL)", async () => openSqliteStore(newDatabaseFile()));

describe("sqlite store connection", () => {
  it("runs 200 concurrent transactions one after another, each seeing the writes of the ones before", async () => {
    const store = await openSqliteStore(newDatabaseFile());
    const seen = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        store.transaction(async (transaction) => {
          const before = await transaction.threads.findAll({});
          await transaction.threads.insert({ id: `thread_${index}`, object: "thread", created_at: 0, metadata: {}, tool_resources: {} });
          return before.length;
        }),
      ),
    );
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, index) => index));
    await store.close();
  });
});

describe("sqlite store WAL", () => {
  const padding = "x".repeat(4000);
  const insertThreads = async (store: Store, prefix: string, count: number, afterEach?: () => void) => {
    for (let index = 0; index < count; index += 1) {
      await store.threads.insert({ id: `thread_${prefix}_${index}`, object: "thread", created_at: 0, metadata: { padding }, tool_resources: {} });
      afterEach?.();
    }
  };

  it("copies committed pages into the database file in the background, without a commit to trigger it", async () => {
    const file = newDatabaseFile();
    const store = await openSqliteStore(file, { checkpointIntervalMs: 10 });
    await insertThreads(store, "a", 100);
    // 100 rows of 4 KB sit in the WAL; SQLite on its own would leave them there until 1000 pages.
    const deadline = Date.now() + 5000;
    while (fs.statSync(file).size < 400_000 && Date.now() < deadline) await wait(20);
    expect(fs.statSync(file).size).toBeGreaterThan(400_000);
    await store.close();
  });

  it("keeps the WAL bounded while writes never pause", async () => {
    const file = newDatabaseFile();
    const store = await openSqliteStore(file, { checkpointIntervalMs: 10 });
    let largestWal = 0;
    await insertThreads(store, "b", 4000, () => {
      largestWal = Math.max(largestWal, fs.statSync(`${file}-wal`).size);
    });
    await store.close();
    // ~100 MB of pages went through the WAL; it restarts at the latest once it reaches 16 MB.
    expect(fs.statSync(file).size).toBeGreaterThan(16_000_000);
    expect(largestWal).toBeLessThan(20_000_000);
  });
});
