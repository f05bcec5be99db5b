import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { openSqliteStore } from "./sqlite-store.js";
import type { Store } from "../store.js";

const storeModule = fileURLToPath(new URL("./sqlite-store.ts", import.meta.url));

/** Read-then-write transactions, as the server's requests make them, until `done`; returns the failures. */
async function readThenWrite(store: Store, prefix: string, done: () => boolean): Promise<{ written: number; errors: string[] }> {
  const errors: string[] = [];
  let written = 0;
  while (!done()) {
    try {
      await store.transaction(async (transaction) => {
        await transaction.threads.get("thread_absent");
        // Yield between the read and the write, as a request's transaction does.
        await new Promise((resolve) => setImmediate(resolve));
        await transaction.threads.insert({ id: `thread_${prefix}_${written}`, object: "thread", created_at: 1, tool_resources: {}, metadata: {} });
      });
      written += 1;
    } catch (error) {
      errors.push(String(error));
    }
  }
  return { written, errors };
}

it("transactions of two processes on one SQLite file wait for each other instead of failing", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "spool-two-processes-")), "spool.db");
  const store = await openSqliteStore(file);
  const childSource = `
    const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
    const store = await openSqliteStore(${JSON.stringify(file)});
    let errors = 0, written = 0;
    for (const end = Date.now() + 1500; Date.now() < end; ) {
      try {
        await store.transaction(async (t) => {
          await t.threads.get("thread_absent");
          await new Promise((resolve) => setImmediate(resolve));
          await t.threads.insert({ id: "thread_child_" + written, object: "thread", created_at: 1, tool_resources: {}, metadata: {} });
        });
        written += 1;
      } catch { errors += 1; }
    }
    await store.close();
    console.log(JSON.stringify({ written, errors }));`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", childSource], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let childDone = false;
  const exited = new Promise((resolve) => child.on("exit", resolve)).then(() => (childDone = true));
  try {
    // Until the child is done, so both write for the whole of the child's run.
    const ours = await readThenWrite(store, "parent", () => childDone);
    await exited;
    const theirs = JSON.parse(output) as { written: number; errors: number };
    expect(ours.errors).toEqual([]);
    expect(theirs.errors).toBe(0);
    expect(ours.written).toBeGreaterThan(0);
    expect(theirs.written).toBeGreaterThan(0);
  } finally {
    await store.close();
  }
});
