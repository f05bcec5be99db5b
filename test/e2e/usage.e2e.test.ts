import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { CompletionsUsageResult, RunsUsageResult } from "../../src/resources/usage/usage.service.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { useTestServer } from "../../src/testing/test-server.js";

const adminKey = "admin-key-for-usage";
const server = useTestServer({ env: { SPOOL_ADMIN_KEY: adminKey, SPOOL_API_KEYS: "user-key" } });

interface UsagePage<R> {
  object: "page";
  data: { object: "bucket"; start_time: number; end_time: number; results: R[] }[];
  has_more: boolean;
  next_page: string | null;
}

async function usage<R>(path: string, query: string, key = adminKey): Promise<{ status: number; body: UsagePage<R> }> {
  const response = await fetch(`${server.spool.url}/v1/organization/usage/${path}?${query}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as UsagePage<R> };
}

const sum = (runs: OpenAI.Beta.Threads.Run[], field: "prompt_tokens" | "completion_tokens") => runs.reduce((total, run) => total + (run.usage?.[field] ?? 0), 0);

describe("GET /v1/organization/usage/completions", () => {
  it("sums the runs' usage by day, model and assistant, as OpenAI's usage API shapes it", async () => {
    const client = server.spool.client({ apiKey: "user-key" });
    const startTime = Math.floor(Date.now() / 1000) - 60;
    const tutor = await client.beta.assistants.create({ model: "gpt-4o", name: "Tutor" });
    const helper = await client.beta.assistants.create({
      model: "gpt-4o-mini",
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }],
    });
    const runs: OpenAI.Beta.Threads.Run[] = [];
    const runOn = async (assistantId: string) => {
      const run = await client.beta.threads.createAndRunPoll({ assistant_id: assistantId, thread: { messages: [{ role: "user", content: "Hi" }] } }, { pollIntervalMs: 20 });
      return run;
    };
    server.upstream.enqueue({ text: "One.", usage: { promptTokens: 10, completionTokens: 3 } }, { text: "Two.", usage: { promptTokens: 20, completionTokens: 4 } });
    runs.push(await runOn(tutor.id), await runOn(tutor.id));
    // Two model calls in one run: a function call, then the answer after the tool output.
    server.upstream.enqueue({ toolCalls: [{ name: "lookup", arguments: {} }], usage: { promptTokens: 30, completionTokens: 5 } }, { text: "Found.", usage: { promptTokens: 45, completionTokens: 6 } });
    const waiting = await runOn(helper.id);
    expect(waiting.status).toBe("requires_action");
    const callId = waiting.required_action!.submit_tool_outputs.tool_calls[0]!.id;
    runs.push(await client.beta.threads.runs.submitToolOutputsAndPoll(waiting.id, { thread_id: waiting.thread_id, tool_outputs: [{ tool_call_id: callId, output: "42" }] }, { pollIntervalMs: 20 }));
    expect(runs.map((run) => run.status)).toEqual(["completed", "completed", "completed"]);

    const total = await usage<CompletionsUsageResult>("completions", `start_time=${startTime}`);
    expect(total.status).toBe(200);
    expect(total.body).toMatchObject({ object: "page", has_more: false, next_page: null });
    expect(total.body.data).toHaveLength(1);
    expect(total.body.data[0]).toMatchObject({ object: "bucket", start_time: startTime, end_time: expect.any(Number) });
    expect(total.body.data[0]!.results).toEqual([
      expect.objectContaining({
        object: "organization.usage.completions.result",
        input_tokens: sum(runs, "prompt_tokens"),
        output_tokens: sum(runs, "completion_tokens"),
        num_model_requests: 4,
        model: null,
        project_id: null,
      }),
    ]);
    expect(sum(runs, "prompt_tokens")).toBe(105);

    const grouped = await usage<CompletionsUsageResult>("completions", `start_time=${startTime}&group_by[]=model&group_by[]=assistant_id`);
    const results = grouped.body.data[0]!.results;
    for (const assistant of [tutor, helper]) {
      const own = runs.filter((run) => run.assistant_id === assistant.id);
      expect(results.filter((result) => result.assistant_id === assistant.id)).toEqual([
        expect.objectContaining({ model: assistant.model, input_tokens: sum(own, "prompt_tokens"), output_tokens: sum(own, "completion_tokens") }),
      ]);
    }
    const filtered = await usage<CompletionsUsageResult>("completions", `start_time=${startTime}&models=gpt-4o-mini`);
    expect(filtered.body.data[0]!.results[0]).toMatchObject({ input_tokens: 75, output_tokens: 11, num_model_requests: 2 });
  });

  it("pages through buckets, empty ones included", async () => {
    // One second ahead: the earlier tests' runs may have been created in this very second, and they must all
    // fall in the bucket before `now`.
    const now = Math.floor(Date.now() / 1000) + 1;
    const first = await usage<CompletionsUsageResult>("completions", `start_time=${now - 3 * 3600}&end_time=${now + 60}&bucket_width=1h&limit=2`);
    expect(first.body.data.map((bucket) => bucket.start_time)).toEqual([now - 3 * 3600, now - 2 * 3600]);
    expect(first.body.data.every((bucket) => bucket.results.length === 0)).toBe(true);
    expect(first.body.has_more).toBe(true);
    const second = await usage<CompletionsUsageResult>("completions", `start_time=${now - 3 * 3600}&end_time=${now + 60}&bucket_width=1h&limit=2&page=${first.body.next_page}`);
    expect(second.body.data.map((bucket) => bucket.start_time)).toEqual([now - 3600, now]);
    expect(second.body.data[0]!.results[0]?.num_model_requests).toBe(4);
    expect(second.body.has_more).toBe(false);
  });

  it("counts runs per bucket by status with latency percentiles", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { body } = await usage<RunsUsageResult>("runs", `start_time=${now - 3600}&end_time=${now + 60}`);
    const [completed] = body.data[0]!.results;
    expect(completed).toMatchObject({ object: "spool.usage.runs.result", status: "completed", num_runs: 3 });
    expect(completed!.latency_p50_ms).toBeGreaterThan(0);
    expect(completed!.latency_p95_ms).toBeGreaterThanOrEqual(completed!.latency_p50_ms!);
  });

  it("needs the admin key; a project key gets 401, bad queries 400", async () => {
    expect((await usage("completions", "start_time=0", "user-key")).status).toBe(401);
    expect((await usage("completions", "")).status).toBe(400);
    expect((await usage("completions", "start_time=0&bucket_width=1d&limit=32")).status).toBe(400);
    expect((await usage("completions", "start_time=0&group_by=colour")).status).toBe(400);
  });

  it("does not exist without SPOOL_ADMIN_KEY", async () => {
    const spool = await startSpool({ upstreamUrl: server.upstream.url });
    try {
      const response = await fetch(`${spool.url}/v1/organization/usage/completions?start_time=0`);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "admin_api_disabled" } });
    } finally {
      await spool.close();
    }
  });
});
