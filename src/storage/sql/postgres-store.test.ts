import { describe, expect, it } from "vitest";
import type { Thread } from "../../domain/objects.js";
import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { defineStoreContract } from "../store.contract.js";
import { openPostgresStore } from "./postgres-store.js";

const postgres = throwawayPostgresForFile();

// A fresh database per test, like the SQLite suite's fresh file.
defineStoreContract("postgres", async () => openPostgresStore(await postgres.freshDatabase("contract")));

describe("postgres: one-statement (insert) transactions", () => {
  const thread = (id: string): Thread => ({ id, object: "thread", created_at: 1, tool_resources: {}, metadata: {} });

  it("reads before its first insert, and refuses reads after it and any other write, writing nothing", async () => {
    const store = await openPostgresStore(await postgres.freshDatabase("one_statement"));
    try {
      await store.threads.insert(thread("thread_before"));
      const refusals = [
        (transaction: typeof store) => transaction.threads.get("thread_before"),
        (transaction: typeof store) => transaction.threads.update(thread("thread_before")),
        (transaction: typeof store) => transaction.threads.delete("thread_before"),
      ];
      for (const refused of refusals) {
        await expect(
          store.insertTransaction(async (transaction) => {
            expect(await transaction.threads.get("thread_before")).toMatchObject({ id: "thread_before" });
            await transaction.threads.insert(thread("thread_new"));
            await refused(transaction);
          }),
        ).rejects.toThrow("one-statement transaction");
      }
      expect(await store.threads.get("thread_new")).toBeUndefined();
      // Two rows of one table in one statement would have no defined order.
      await expect(
        store.insertTransaction(async (transaction) => {
          await transaction.threads.insert(thread("thread_one"));
          await transaction.threads.insert(thread("thread_two"));
        }),
      ).rejects.toThrow("one row per table");
      expect(await store.threads.get("thread_one")).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
