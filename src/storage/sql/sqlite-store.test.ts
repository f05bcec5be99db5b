import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as wait } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { defineStoreContract } from "../store.contract.js";
import { openSqliteStore } from "./sqlite-store.js";

function newDatabaseFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-store-")), "spool.db");
}

defineStoreContract("sqlite (file, WAL)", async () => openSqliteStore(newDatabaseFile()));

describe("sqlite store WAL", () => {
  it("is checkpointed in the background, so the WAL file stays small however much is written", async () => {
    const file = newDatabaseFile();
    const store = await openSqliteStore(file, { checkpointIntervalMs: 10 });
    const padding = "x".repeat(4000);
    let largestWal = 0;
    for (let batch = 0; batch < 20; batch += 1) {
      for (let index = 0; index < 100; index += 1) {
        await store.threads.insert({ id: `thread_${batch}_${index}`, object: "thread", created_at: 0, metadata: { padding }, tool_resources: {} });
      }
      largestWal = Math.max(largestWal, fs.statSync(`${file}-wal`).size);
      await wait(40);
    }
    await store.close();
    // 2,000 rows of 4 KB went through the WAL; without checkpoints it would hold all of them (> 8 MB).
    expect(fs.statSync(file).size).toBeGreaterThan(8_000_000);
    expect(largestWal).toBeLessThan(3_000_000);
  });
});
