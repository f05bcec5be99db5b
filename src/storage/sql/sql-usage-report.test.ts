import { describe, expect, it } from "vitest";
import type { RunStep, Usage } from "../../domain/objects.js";
import { throwawayPostgresForFile } from "../../testing/postgres-for-file.js";
import { runFixture } from "../../testing/run-fixture.js";
import type { Store } from "../store.js";
import { openPostgresStore } from "./postgres-store.js";
import { openSqliteStore } from "./sqlite-store.js";

const postgres = throwawayPostgresForFile();

function step(id: string, runId: string, createdAt: number, usage: Usage | null): RunStep {
  return {
    id, object: "thread.run.step", created_at: createdAt, assistant_id: "asst_1", thread_id: "thread_1", run_id: runId,
    type: "message_creation", status: "completed", step_details: { type: "message_creation", message_creation: { message_id: "msg_1" } },
    last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: createdAt, metadata: {}, usage, model_outputs: {},
  };
}

const usage = (prompt: number, completion: number): Usage => ({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });

async function seed(store: Store): Promise<void> {
  await store.runs.insert({ ...runFixture("run_a", "thread_1", "completed"), assistant_id: "asst_a", model: "gpt-4o", created_at: 1000, telemetry: { created_ms: 1_000_000, finished_ms: 1_000_250 } });
  await store.runs.insert({ ...runFixture("run_b", "thread_2", "failed"), assistant_id: "asst_b", model: "gpt-4o-mini", created_at: 4700 });
  await store.runSteps.insert(step("step_1", "run_a", 1000, usage(10, 2)));
  await store.runSteps.insert(step("step_2", "run_a", 1100, usage(20, 3)));
  await store.runSteps.insert(step("step_3", "run_a", 1100, null));
  await store.runSteps.insert(step("step_4", "run_b", 4700, usage(7, 1)));
  await store.runSteps.insert(step("step_5", "run_b", 9000, usage(99, 99)));
}

describe.each([
  ["sqlite", async () => openSqliteStore(":memory:")],
  ["postgres", async () => openPostgresStore(await postgres.freshDatabase("usage"))],
])("usage report on %s", (_name, open) => {
  it("sums the steps' usage per bucket, assistant and model, and reads run timings", async () => {
    const store = await open();
    try {
      await seed(store);
      const rows = await store.usage.completions({ startTime: 1000, endTime: 8200, bucketSeconds: 3600 });
      expect(rows.sort((left, right) => left.bucket - right.bucket)).toEqual([
        { bucket: 0, assistantId: "asst_a", model: "gpt-4o", inputTokens: 30, outputTokens: 5, requests: 2 },
        { bucket: 1, assistantId: "asst_b", model: "gpt-4o-mini", inputTokens: 7, outputTokens: 1, requests: 1 },
      ]);
      const runs = await store.usage.runs({ startTime: 0, endTime: 5000 });
      expect(runs.sort((left, right) => left.createdAt - right.createdAt)).toEqual([
        { createdAt: 1000, status: "completed", durationMs: 250 },
        { createdAt: 4700, status: "failed", durationMs: null },
      ]);
      expect(await store.vectorStoreFiles.countByStatus(["in_progress"])).toBe(0);
    } finally {
      await store.close();
    }
  });
});
