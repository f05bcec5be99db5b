import OpenAI from "openai";
import OpenAIv7 from "openai-v7";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

const server = useTestServer();
let client: OpenAI;
let strict: OpenAIv7;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client, strict } = recordedClients(server.spool));
});

async function collect(stream: AsyncIterable<ResponseStreamEvent>, into: ResponseStreamEvent[] = []): Promise<ResponseStreamEvent[]> {
  for await (const event of stream) into.push(event);
  return into;
}

const after = (events: ResponseStreamEvent[], sequence: number) => events.filter((event) => event.sequence_number > sequence);

describe("resuming a background response's stream", () => {
  it("replays a settled response with the same events under the same numbers, from any point, through both SDKs", async () => {
    server.upstream.enqueue({ text: ["Once ", "upon ", "a ", "time."], toolCalls: [{ name: "note", arguments: { words: 4 }, id: "call_note" }] });
    const tools = [{ type: "function" as const, name: "note", parameters: { type: "object", properties: { words: { type: "number" } } }, strict: false }];
    const original = await collect(await client.responses.create({ model: "gpt-4o", input: "Tell a story", tools, background: true, stream: true }));
    expect(original.map((event) => event.sequence_number)).toEqual(original.map((_, index) => index));
    expect(original.at(-1)?.type).toBe("response.completed");
    const id = original[0]!.type === "response.created" ? original[0]!.response.id : "";

    expect(await collect(await client.responses.retrieve(id, { stream: true }))).toEqual(original);
    const middle = original.find((event) => event.type === "response.output_text.delta" && event.delta === "upon ")!.sequence_number;
    expect(await collect(await client.responses.retrieve(id, { stream: true, starting_after: middle }))).toEqual(after(original, middle));
    const last = original.at(-1)!.sequence_number;
    expect(await collect(await client.responses.retrieve(id, { stream: true, starting_after: last }))).toEqual([]);

    // The SDKs' ResponseStream reads the whole replay and hands out what follows `starting_after`.
    const resumedBy6 = client.responses.stream({ response_id: id, starting_after: middle });
    const resumedBy7 = strict.responses.stream({ response_id: id, starting_after: middle });
    const seen: number[][] = [[], []];
    const deltas: string[][] = [[], []];
    resumedBy6.on("event", (event) => seen[0]!.push(event.sequence_number)).on("response.output_text.delta", (event) => deltas[0]!.push(event.delta));
    resumedBy7.on("event", (event) => seen[1]!.push(event.sequence_number)).on("response.output_text.delta", (event) => deltas[1]!.push(event.delta));
    for (const final of [await resumedBy6.finalResponse(), await resumedBy7.finalResponse()]) {
      expect(final).toMatchObject({ id, status: "completed", output_text: "Once upon a time." });
    }
    const expected = after(original, middle).map((event) => event.sequence_number);
    expect(seen).toEqual([expected, expected]);
    expect(deltas).toEqual([["a ", "time."], ["a ", "time."]]);
  });

  it("resumes in the middle of an answer and follows the response live until it settles", async () => {
    // The answer stops mid-way and stays open until the response is cancelled.
    server.upstream.enqueue({ text: ["First ", "part, ", "second ", "part "], chunkDelayMs: 50, hang: true });
    const stream = await client.responses.create({ model: "gpt-4o", input: "Write slowly", background: true, stream: true });
    const original: ResponseStreamEvent[] = [];
    const reading = collect(stream, original);
    await expect.poll(() => original.some((event) => event.type === "response.output_text.delta"), { timeout: 5000 }).toBe(true);
    const id = original[0]!.type === "response.created" ? original[0]!.response.id : "";
    const firstDelta = original.find((event) => event.type === "response.output_text.delta")!.sequence_number;

    const resumed: ResponseStreamEvent[] = [];
    const following = collect(await client.responses.retrieve(id, { stream: true, starting_after: firstDelta }), resumed);
    await expect.poll(() => resumed.map((event) => (event.type === "response.output_text.delta" ? event.delta : "")).join(""), { timeout: 5000 }).toBe("part, second part ");
    expect((await client.responses.retrieve(id)).status).toBe("in_progress");

    await client.responses.cancel(id);
    await Promise.all([reading, following]);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed).toEqual(after(original, firstDelta));
    expect(original.at(-1)).toMatchObject({ type: "response.output_item.done" });
  });

  it("refuses a response that was not created in the background, as hosted", async () => {
    server.upstream.enqueue({ text: "Not in the background." });
    const response = await client.responses.create({ model: "gpt-4o", input: "hi" });
    await expect(client.responses.retrieve(response.id, { stream: true })).rejects.toMatchObject({
      status: 400,
      param: "stream",
      message: expect.stringContaining("This response cannot be streamed because it was not created with background=true."),
    });
  });

  it("answers and streams as the spec says", async () => {
    const { problems, covered } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
    expect(covered).toContain("GET /responses/{response_id}");
  });
});
