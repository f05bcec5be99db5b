import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredFile } from "../domain/files.js";
import type { RunStep, Thread } from "../domain/objects.js";
import { defaultProjectId } from "../domain/projects.js";
import { unixNow } from "../domain/time.js";
import { runFixture } from "../testing/run-fixture.js";
import { DuplicateKeyError } from "./storage-errors.js";
import type { Store } from "./store.js";

function file(id: string, expiresAt: number | null): StoredFile {
  return { id, object: "file", bytes: 1, created_at: 1000, expires_at: expiresAt, filename: `${id}.txt`, purpose: "assistants", status: "processed", status_details: null };
}

function thread(id: string, createdAt = 1000): Thread {
  return { id, object: "thread", created_at: createdAt, tool_resources: {}, metadata: { note: `for ${id}`, 한글: "값" } };
}

/** What resources rely on from storage; every Store implementation (SQLite, Postgres, …) runs this suite. */
export function defineStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: store contract`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("round-trips objects, including unicode metadata", async () => {
      await store.threads.insert(thread("thread_a"));
      expect(await store.threads.get("thread_a")).toEqual(thread("thread_a"));
      expect(await store.threads.get("thread_missing")).toBeUndefined();
    });

    it("pages in creation order even when timestamps tie", async () => {
      const ids = ["thread_1", "thread_2", "thread_3", "thread_4", "thread_5"];
      for (const id of ids) await store.threads.insert(thread(id));
      const ids_ = (page: { data: Thread[] }) => page.data.map((item) => item.id);
      expect(ids_(await store.threads.list({ limit: 2, order: "desc" }))).toEqual(["thread_5", "thread_4"]);
      expect(await store.threads.list({ limit: 5, order: "asc" })).toMatchObject({ hasMore: false });
      expect(await store.threads.list({ limit: 4, order: "asc" })).toMatchObject({ hasMore: true });
      expect(ids_(await store.threads.list({ limit: 2, order: "asc", after: "thread_2" }))).toEqual(["thread_3", "thread_4"]);
      expect(ids_(await store.threads.list({ limit: 2, order: "desc", after: "thread_4" }))).toEqual(["thread_3", "thread_2"]);
      expect(ids_(await store.threads.list({ limit: 2, order: "asc", before: "thread_4" }))).toEqual(["thread_2", "thread_3"]);
      expect(ids_(await store.threads.list({ limit: 2, order: "desc", before: "thread_2" }))).toEqual(["thread_4", "thread_3"]);
      await expect(store.threads.list({ limit: 2, order: "asc", after: "thread_nope" })).rejects.toMatchObject({ name: "InvalidCursorError", param: "after" });
    });

    it("updates only when the expected status still holds", async () => {
      const base = { object: "vector_store" as const, created_at: 1, name: "", usage_bytes: 0, expires_after: null, expires_at: null, last_active_at: null, metadata: {} };
      const counts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
      await store.vectorStores.insert({ ...base, id: "vs_1", status: "in_progress", file_counts: counts });
      const won = await store.vectorStores.update({ ...base, id: "vs_1", status: "completed", file_counts: counts }, { expectedStatus: "in_progress" });
      const lost = await store.vectorStores.update({ ...base, id: "vs_1", status: "expired", file_counts: counts }, { expectedStatus: "in_progress" });
      expect([won, lost]).toEqual([true, false]);
      expect((await store.vectorStores.get("vs_1"))?.status).toBe("completed");
    });

    it("refuses a second active run on one thread, whoever inserts it", async () => {
      await store.runs.insert(runFixture("run_done", "thread_r", "completed"));
      await store.runs.insert(runFixture("run_active", "thread_r", "requires_action"));
      await expect(store.runs.insert(runFixture("run_second", "thread_r", "queued"))).rejects.toBeInstanceOf(DuplicateKeyError);
      await store.runs.insert(runFixture("run_other_thread", "thread_s", "queued"));
      await store.runs.update({ ...runFixture("run_active", "thread_r", "cancelled") });
      await store.runs.insert(runFixture("run_next", "thread_r", "queued"));
      expect((await store.runs.findAll({ parentId: "thread_r" })).map((run) => run.id)).toEqual(["run_done", "run_active", "run_next"]);
    });

    it("rolls back every write of a failed transaction", async () => {
      await expect(
        store.transaction(async (transaction) => {
          await transaction.threads.insert(thread("thread_tx"));
          await transaction.transaction(async (nested) => nested.threads.insert(thread("thread_nested")));
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await store.threads.get("thread_tx")).toBeUndefined();
      expect(await store.threads.get("thread_nested")).toBeUndefined();
    });

    it("commits a fenced transaction only while its lease is current, whether or not it appends to the run's event log", async () => {
      await store.runs.insert(runFixture("run_fenced", "thread_f", "queued"));
      const [stale] = await store.runLeases.claim("process-a", 1, 60_000);
      await store.runLeases.releaseAll();
      const [current] = await store.runLeases.claim("process-b", 1, 60_000);
      const fencedInsert = (lease: typeof stale, id: string, append: boolean) =>
        store.transaction(async (transaction) => {
          transaction.fence(lease!, 60_000);
          await transaction.threads.insert(thread(id));
          if (append) await transaction.runEvents.append("run_fenced", "test", `[${JSON.stringify(id)}]`);
        });
      await expect(fencedInsert(stale, "thread_stale_plain", false)).rejects.toMatchObject({ name: "LeaseLostError", runId: "run_fenced" });
      await expect(fencedInsert(stale, "thread_stale_logged", true)).rejects.toMatchObject({ name: "LeaseLostError", runId: "run_fenced" });
      await fencedInsert(current, "thread_current_plain", false);
      await fencedInsert(current, "thread_current_logged", true);
      const stored = await Promise.all(["thread_stale_plain", "thread_stale_logged", "thread_current_plain", "thread_current_logged"].map((id) => store.threads.get(id)));
      expect(stored.map((found) => found?.id)).toEqual([undefined, undefined, "thread_current_plain", "thread_current_logged"]);
      expect((await store.runEvents.readAfter("run_fenced", 0, 10)).map((entry) => entry.body)).toEqual(['["thread_current_logged"]']);
    });

    it("inserts a run already leased to its creator as attempt 1, which others take over only once the lease lapses", async () => {
      await store.runs.insertLeased(runFixture("run_leased", "thread_l", "queued"), { owner: "creator", ttlMs: 60_000 });
      await store.runs.insertLeased(runFixture("run_lapsing", "thread_m", "queued"), { owner: "creator", ttlMs: 1 });
      const created = { runId: "run_leased", projectId: "proj_default", owner: "creator", attempt: 1 };
      expect(await store.runLeases.hold(created, 60_000)).toBe(true);
      expect(await store.runLeases.renew("creator", 60_000)).toEqual(expect.arrayContaining(["run_leased", "run_lapsing"]));
      await store.runLeases.hold({ ...created, runId: "run_lapsing" }, -1_000);
      // The lapsed one is claimed by another process as attempt 2; the held one is not claimed at all.
      const claimed = await store.runLeases.claim("another", 10, 60_000);
      expect(claimed.map((lease) => [lease.runId, lease.attempt])).toEqual([["run_lapsing", 2]]);
      expect(await store.runLeases.hold({ ...created, runId: "run_lapsing" }, 60_000)).toBe(false);
      // A taken id is refused as by `insert`; tables without leases refuse a leased insert.
      await expect(store.runs.insertLeased(runFixture("run_leased", "thread_n", "queued"), { owner: "creator", ttlMs: 60_000 })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(store.threads.insertLeased(thread("thread_leased"), { owner: "creator", ttlMs: 60_000 })).rejects.toThrow("no leases");
    });

    it("writes an insert transaction's rows and event-log entry only while its lease is current, all or none", async () => {
      await store.runs.insert(runFixture("run_inserts", "thread_v", "queued"));
      const [stale] = await store.runLeases.claim("process-a", 1, 60_000);
      await store.runLeases.releaseAll();
      const [current] = await store.runLeases.claim("process-b", 1, 60_000);
      const inserting = (lease: typeof stale, id: string, append: boolean) =>
        store.insertTransaction(async (transaction) => {
          transaction.fence(lease!, 60_000);
          await transaction.threads.insert(thread(id));
          let committed = false;
          transaction.afterCommit(() => (committed = true));
          if (append) await transaction.beforeCommit(async () => void (await transaction.runEvents.append("run_inserts", "test", `[${JSON.stringify(id)}]`)));
          return () => committed;
        });
      await expect(inserting(stale, "thread_stale_plain", false)).rejects.toMatchObject({ name: "LeaseLostError", runId: "run_inserts" });
      await expect(inserting(stale, "thread_stale_logged", true)).rejects.toMatchObject({ name: "LeaseLostError", runId: "run_inserts" });
      expect((await inserting(current, "thread_current_plain", false))()).toBe(true);
      expect((await inserting(current, "thread_current_logged", true))()).toBe(true);
      const stored = await Promise.all(["thread_stale_plain", "thread_stale_logged", "thread_current_plain", "thread_current_logged"].map((id) => store.threads.get(id)));
      expect(stored.map((found) => found?.id)).toEqual([undefined, undefined, "thread_current_plain", "thread_current_logged"]);
      expect((await store.runEvents.readAfter("run_inserts", 0, 10)).map((entry) => entry.body)).toEqual(['["thread_current_logged"]']);
      // Its work that throws writes nothing.
      await expect(
        store.insertTransaction(async (transaction) => {
          await transaction.threads.insert(thread("thread_thrown"));
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await store.threads.get("thread_thrown")).toBeUndefined();
      // Reads before its inserts; a run inserted leased, with its thread and first events.
      await store.insertTransaction(async (transaction) => {
        expect(await transaction.runs.get("run_inserts")).toMatchObject({ id: "run_inserts" });
        await transaction.threads.insert(thread("thread_w"));
        await transaction.runs.insertLeased(runFixture("run_created", "thread_w", "queued"), { owner: "creator", ttlMs: 60_000 });
        await transaction.beforeCommit(async () => void (await transaction.runEvents.append("run_created", "test", "[]")));
      });
      expect(await store.threads.get("thread_w")).toMatchObject({ id: "thread_w" });
      expect(await store.runLeases.hold({ runId: "run_created", projectId: "proj_default", owner: "creator", attempt: 1 }, 60_000)).toBe(true);
      expect(await store.runEvents.latestSeq("run_created")).toBe(1);
    });

    it("filters by parent, run and status, and deletes by parent", async () => {
      const message = (id: string, threadId: string, runId: string | null, status: "completed" | "in_progress") => ({
        id, object: "thread.message" as const, created_at: 1, thread_id: threadId, status, incomplete_details: null,
        completed_at: null, incomplete_at: null, role: "user" as const, content: [], assistant_id: null, run_id: runId,
        attachments: [], metadata: {}, file_ids: [],
      });
      await store.messages.insert(message("msg_1", "thread_x", null, "completed"));
      await store.messages.insert(message("msg_2", "thread_x", "run_1", "in_progress"));
      await store.messages.insert(message("msg_3", "thread_y", "run_1", "completed"));
      expect((await store.messages.findAll({ parentId: "thread_x" })).map((item) => item.id)).toEqual(["msg_1", "msg_2"]);
      expect((await store.messages.findAll({ runId: "run_1", statuses: ["in_progress"] })).map((item) => item.id)).toEqual(["msg_2"]);
      expect((await store.messages.list({ parentId: "thread_x", runId: "run_1", limit: 10, order: "asc" })).data.map((item) => item.id)).toEqual(["msg_2"]);
      expect(await store.messages.get("msg_3", "thread_x")).toBeUndefined();
      await store.messages.deleteByParent("thread_x");
      expect((await store.messages.findAll({})).map((item) => item.id)).toEqual(["msg_3"]);
      expect(await store.messages.delete("msg_3")).toBe(true);
      expect(await store.messages.delete("msg_3")).toBe(false);
    });

    it("reads an expired file as gone, and finds expired files by expiry in every project for the sweep", async () => {
      const now = unixNow();
      const other = store.forProject("proj_other");
      await store.files.insert(file("file_expired", now - 10));
      await store.files.insert(file("file_later", now + 3600));
      await store.files.insert(file("file_never", null));
      await other.files.insert(file("file_other", now - 20));

      expect(await store.files.get("file_expired")).toBeUndefined();
      expect(await store.transaction((transaction) => transaction.files.getForUpdate("file_expired"))).toBeUndefined();
      expect((await store.files.get("file_later"))?.expires_at).toBe(now + 3600);
      const listed = await store.files.list({ limit: 10, order: "asc" });
      expect(listed.data.map((item) => item.id)).toEqual(["file_later", "file_never"]);
      expect((await store.files.findAll({})).map((item) => item.id)).toEqual(["file_later", "file_never"]);
      expect(await store.files.countByStatus(["assistants"])).toBe(2);

      // Longest expired first, each with its project; a project's store sees its own only.
      expect(await store.files.findExpired(now, 10)).toEqual([
        { id: "file_other", projectId: "proj_other" },
        { id: "file_expired", projectId: defaultProjectId },
      ]);
      expect(await store.files.findExpired(now, 1)).toEqual([{ id: "file_other", projectId: "proj_other" }]);
      expect(await other.files.findExpired(now + 3600, 10)).toEqual([{ id: "file_other", projectId: "proj_other" }]);
      expect((await store.files.findExpired(now + 3600, 10)).map((row) => row.id)).toEqual(["file_other", "file_expired", "file_later"]);

      // Expired rows are still there to delete, once.
      expect(await store.files.delete("file_expired")).toBe(true);
      expect(await store.files.delete("file_expired")).toBe(false);
      // An update moves the expiry with the object.
      await store.files.update(file("file_never", now - 1));
      expect(await store.files.get("file_never")).toBeUndefined();
      expect((await store.files.findExpired(now, 10)).map((row) => row.id)).toEqual(["file_other", "file_never"]);
      // An insert-only transaction (one statement on Postgres) keeps the expiry too.
      await store.insertTransaction(async (transaction) => transaction.files.insert(file("file_inserted", now - 5)));
      expect((await store.files.findExpired(now, 10)).map((row) => row.id)).toEqual(["file_other", "file_inserted", "file_never"]);
    });

    it("logs a thread's messages and tool-call steps as items, in the order they are inserted", async () => {
      const message = (id: string, runId: string | null) => ({
        id, object: "thread.message" as const, created_at: 5, thread_id: "thread_i", status: "completed" as const, incomplete_details: null,
        completed_at: 5, incomplete_at: null, role: "user" as const, content: [], assistant_id: null, run_id: runId,
        attachments: [], metadata: {}, file_ids: [],
      });
      const step = (id: string, details: RunStep["step_details"]): RunStep => ({
        id, object: "thread.run.step", created_at: 5, assistant_id: "asst_1", thread_id: "thread_i", run_id: "run_i", type: details.type,
        status: "completed", step_details: details, last_error: null, expired_at: null, cancelled_at: null, failed_at: null,
        completed_at: 5, metadata: {}, usage: null, model_outputs: {},
      });
      await store.transaction(async (transaction) => {
        await transaction.messages.insert(message("msg_q", null));
        await transaction.runSteps.insert(step("step_tools", { type: "tool_calls", tool_calls: [] }));
        // A step and its message, written together.
        await transaction.runSteps.insert(
          step("step_answer", { type: "message_creation", message_creation: { message_id: "msg_a" } }),
          transaction.messages.rowsOf(message("msg_a", "run_i")),
        );
      });
      expect((await store.messages.get("msg_a"))?.run_id).toBe("run_i");
      expect((await store.runSteps.get("step_answer"))?.type).toBe("message_creation");
      const entries = await store.threadItems.findAll({ parentId: "thread_i" });
      expect(entries.map((entry) => [entry.id, entry.kind, entry.run_id])).toEqual([
        ["msg_q", "message", null],
        ["step_tools", "run_step", "run_i"],
        ["msg_a", "message", "run_i"],
      ]);
      await store.messages.delete("msg_q");
      expect((await store.threadItems.findAll({ parentId: "thread_i" })).map((entry) => entry.id)).toEqual(["step_tools", "msg_a"]);
      await expect(
        store.transaction(async (transaction) => {
          await transaction.messages.insert(message("msg_rolled_back", null));
          throw new Error("abort");
        }),
      ).rejects.toThrow("abort");
      expect(await store.threadItems.get("msg_rolled_back")).toBeUndefined();
      // All or none: a message whose id is taken keeps its step out too.
      const orphan = step("step_orphan", { type: "message_creation", message_creation: { message_id: "msg_a" } });
      await expect(store.runSteps.insert(orphan, store.messages.rowsOf(message("msg_a", "run_i")))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await store.runSteps.get("step_orphan")).toBeUndefined();
    });
  });
}
