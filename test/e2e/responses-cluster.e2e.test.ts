import { toFile } from "openai";
import OpenAIv7 from "openai-v7";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpoolCluster, type SpoolCluster } from "../../src/testing/spool-cluster.js";
import { freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../../src/testing/throwaway-postgres.js";

/**
 * Two Spool processes on one Postgres; process 0 serves the API only (SPOOL_RUN_CONCURRENCY=0), so every
 * response created, streamed or cancelled through it is executed by process 1.
 */
let postgres: ThrowawayPostgres;
let upstream: ScriptedUpstream;
let apiOnly: SpoolCluster;
let worker: SpoolCluster;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  upstream = await startScriptedUpstream();
  const databaseUrl = await freshDatabase(postgres, "responses");
  const env = { SPOOL_RUN_LEASE_SECONDS: "2", SPOOL_SHUTDOWN_TIMEOUT_MS: "300" };
  apiOnly = await startSpoolCluster({ size: 1, databaseUrl, upstreamUrl: upstream.url, env: { ...env, SPOOL_RUN_CONCURRENCY: "0" } });
  worker = await startSpoolCluster({ size: 1, databaseUrl, upstreamUrl: upstream.url, env });
}, 120_000);

afterAll(async () => {
  await apiOnly?.close();
  await worker?.close();
  await upstream?.close();
  await postgres?.stop();
});

async function collect(stream: AsyncIterable<ResponseStreamEvent>, into: ResponseStreamEvent[] = []): Promise<ResponseStreamEvent[]> {
  for await (const event of stream) into.push(event);
  return into;
}

describe("responses on two Spool processes sharing Postgres", () => {
  it("answers, streams and cancels through a process that executes none of them", async () => {
    const api = apiOnly.client(0);
    upstream.setResponder(() => ({ text: "Answered by the other process." }));
    expect((await api.responses.create({ model: "gpt-4o", input: "hi" })).output_text).toBe("Answered by the other process.");

    upstream.setResponder(() => ({ text: ["Streamed ", "across ", "processes."], chunkDelayMs: 20 }));
    const strict = new OpenAIv7({ baseURL: `${apiOnly.members[0]!.url}/v1`, apiKey: "unused", maxRetries: 0 });
    expect((await strict.responses.stream({ model: "gpt-4o", input: "stream" }).finalResponse()).output_text).toBe("Streamed across processes.");

    upstream.setResponder(() => ({ text: "never finishes", hang: true }));
    const background = await api.responses.create({ model: "gpt-4o", input: "slow", background: true });
    await expect.poll(async () => (await worker.client(0).responses.retrieve(background.id)).status).toBe("in_progress");
    expect((await api.responses.cancel(background.id)).status).toBe("cancelled");
    expect((await worker.client(0).responses.retrieve(background.id)).status).toBe("cancelled");
  });

  it("lets one of concurrent responses on a conversation in, through either process", async () => {
    // A model that never sends a token: no answer item can join the conversation while the test looks at it.
    upstream.setResponder(() => ({ hang: true }));
    const conversation = await apiOnly.client(0).conversations.create({});
    const clients = [apiOnly.client(0), worker.client(0)];
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) => clients[index % 2]!.responses.create({ model: "gpt-4o", conversation: conversation.id, input: `try ${index}`, background: true })),
    );
    const accepted = attempts.flatMap((attempt) => (attempt.status === "fulfilled" ? [attempt.value] : []));
    expect(accepted).toHaveLength(1);
    for (const attempt of attempts) if (attempt.status === "rejected") expect(attempt.reason).toMatchObject({ status: 400, code: "conversation_locked" });
    // Only the accepted response's input reached the conversation.
    const items = await worker.client(0).conversations.items.list(conversation.id);
    expect(items.data).toHaveLength(1);
    await apiOnly.client(0).responses.cancel(accepted[0]!.id);
  });

  it("resumes a background response's stream through either process under the same sequence numbers", async () => {
    const api = apiOnly.client(0);
    const other = worker.client(0);
    upstream.setResponder(() => ({ text: ["One ", "two ", "three ", "four."] }));
    const original = await collect(await api.responses.create({ model: "gpt-4o", input: "count", background: true, stream: true }));
    const id = original[0]!.type === "response.created" ? original[0]!.response.id : "";
    expect(original.at(-1)?.type).toBe("response.completed");
    const middle = original.find((event) => event.type === "response.output_text.delta" && event.delta === "two ")!.sequence_number;
    expect(await collect(await other.responses.retrieve(id, { stream: true, starting_after: middle }))).toEqual(original.filter((event) => event.sequence_number > middle));

    // Live: the answer stops mid-way; a stream resumed through the executing process follows it until it is cancelled through the other.
    upstream.setResponder(() => ({ text: ["Half ", "an ", "answer "], hang: true }));
    const live: ResponseStreamEvent[] = [];
    const reading = collect(await api.responses.create({ model: "gpt-4o", input: "slow", background: true, stream: true }), live);
    await expect.poll(() => live.filter((event) => event.type === "response.output_text.delta").length, { timeout: 10_000 }).toBe(3);
    const liveId = live[0]!.type === "response.created" ? live[0]!.response.id : "";
    const resumed: ResponseStreamEvent[] = [];
    const following = collect(await other.responses.retrieve(liveId, { stream: true, starting_after: 1 }), resumed);
    await expect.poll(() => resumed.filter((event) => event.type === "response.output_text.delta").length, { timeout: 10_000 }).toBe(3);
    await api.responses.cancel(liveId);
    await Promise.all([reading, following]);
    expect(resumed).toEqual(live.filter((event) => event.sequence_number > 1));
  });

  it("keeps a container's files in the database: uploaded through one process, used and written by code on the other", async () => {
    const api = apiOnly.client(0);
    const container = await api.containers.create({ name: "Shared" });
    await api.containers.files.create(container.id, { file: await toFile(Buffer.from("3\n4\n"), "numbers.txt") });
    upstream.setResponder((request) => {
      const last = (request.body as { messages: { role: string }[] }).messages.at(-1);
      if (last?.role === "tool") return { text: "Summed into [sum.txt](sandbox:/mnt/data/sum.txt)." };
      const code = "total = sum(int(line) for line in open('/mnt/data/numbers.txt'))\nopen('/mnt/data/sum.txt', 'w').write(str(total))";
      return { toolCalls: [{ name: "code_interpreter", arguments: { code } }] };
    });
    const response = await api.responses.create({ model: "gpt-4o", input: "Sum the numbers.", tools: [{ type: "code_interpreter", container: container.id }] });
    expect(response.status).toBe("completed");
    const message = response.output.find((item) => item.type === "message");
    const citation = message?.type === "message" && message.content[0]?.type === "output_text" ? message.content[0].annotations[0] : undefined;
    expect(citation).toMatchObject({ type: "container_file_citation", container_id: container.id, filename: "sum.txt" });
    const fileId = citation?.type === "container_file_citation" ? citation.file_id : "";
    expect(await (await api.containers.files.content.retrieve(fileId, { container_id: container.id })).text()).toBe("7");
  });
});
