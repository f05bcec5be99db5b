import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sseEvents } from "../../testing/spec-recorder.js";
import { createInProcessApp, type InProcessApp } from "../../testing/in-process-app.js";

/** In-process: responses are stored and queued but never executed. */
let app: InProcessApp;
beforeAll(async () => {
  app = await createInProcessApp();
});
afterAll(() => app.close());

async function post(body: unknown) {
  return app.request("/v1/responses", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function errorOf(response: Response) {
  return { status: response.status, ...((await response.json()) as { error: Record<string, unknown> }).error };
}

/** Reads SSE frames until `count` events arrived, then lets the stream go. */
async function firstEvents(response: Response, count: number) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (sseEvents(text).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return sseEvents(text).slice(0, count);
}

/** A response created with `stream: true` (its answer is read up to its first event, then left). */
async function createStreamed(body: Record<string, unknown>): Promise<string> {
  const [created] = await firstEvents(await post({ model: "gpt-4o", input: "hi", stream: true, ...body }), 1);
  return (created?.data as { response: { id: string } }).response.id;
}

describe("GET /v1/responses/{id}?stream=true", () => {
  it("streams a background response from the start, or after starting_after, under the same numbers", async () => {
    const id = await createStreamed({ background: true });
    const whole = await firstEvents(await app.request(`/v1/responses/${id}?stream=true`), 2);
    expect(whole.map((event) => [event.event, (event.data as { sequence_number: number }).sequence_number])).toEqual([
      ["response.created", 0],
      ["response.queued", 1],
    ]);
    expect(whole[0]?.data).toMatchObject({ response: { id, status: "queued", output: [] } });
    const [next] = await firstEvents(await app.request(`/v1/responses/${id}?stream=true&starting_after=0&include_obfuscation=false`), 1);
    expect(next).toEqual(whole[1]);
  });

  it("refuses a settled response whose events are no longer kept", async () => {
    const id = await createStreamed({ background: true });
    await app.store.runEvents.append(id, "test", JSON.stringify([]));
    await app.store.runEvents.prune(Date.now() + 60_000);
    const run = (await app.store.runs.get(id))!;
    await app.store.runs.update({ ...run, status: "completed", completed_at: run.created_at });
    expect(await errorOf(await app.request(`/v1/responses/${id}?stream=true`))).toMatchObject({
      status: 400,
      param: "stream",
      message: `The events of response '${id}' are no longer kept (they are kept for an hour); retrieve it without stream=true.`,
    });
  });

  it("refuses a response that was not created in the background, in the hosted wording", async () => {
    const id = await createStreamed({});
    expect(await errorOf(await app.request(`/v1/responses/${id}?stream=true`))).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      param: "stream",
      message: "This response cannot be streamed because it was not created with background=true.",
    });
  });

  it("refuses bad stream and starting_after values, and unknown responses", async () => {
    const id = await createStreamed({ background: true });
    expect(await errorOf(await app.request(`/v1/responses/${id}?stream=yes`))).toMatchObject({ status: 400, param: "stream" });
    expect(await errorOf(await app.request(`/v1/responses/${id}?stream=true&starting_after=-1`))).toMatchObject({ status: 400, param: "starting_after" });
    expect(await errorOf(await app.request(`/v1/responses/${id}?stream=true&starting_after=first`))).toMatchObject({ status: 400, param: "starting_after" });
    expect(await errorOf(await app.request("/v1/responses/resp_missing?stream=true"))).toMatchObject({ status: 404, message: "Response with id 'resp_missing' not found." });
  });
});

describe("input_file parts and item references in POST /v1/responses", () => {
  const withPart = (part: Record<string, unknown>) => ({ model: "gpt-4o", input: [{ role: "user", content: [{ type: "input_text", text: "Read it." }, part] }] });
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["an unknown file id", { type: "input_file", file_id: "file-missing" }, "input[0].content[1].file_id", "No file found with id 'file-missing'."],
    ["a file URL", { type: "input_file", file_url: "https://example.com/a.pdf" }, "input[0].content[1].file_url", "'file_url' is not supported: this server fetches no URLs. Upload the file and send its file_id, or send its content as file_data."],
    ["file data without a filename", { type: "input_file", file_data: "aGk=" }, "input[0].content[1].filename", "Invalid 'input[0].content[1].filename': give the filename of file_data."],
    ["a file id and file data at once", { type: "input_file", file_id: "file-1", file_data: "aGk=", filename: "a.txt" }, "input[0].content[1]", "Invalid 'input[0].content[1]': give one of file_id, file_data or file_url."],
    ["an image as file data", { type: "input_file", file_data: "aGk=", filename: "photo.png" }, "input[0].content[1].filename", "Unsupported file 'photo.png': input_file takes PDF, DOCX, HTML, JSON and text files (code, Markdown, CSV…)."],
    ["file data that is not base64", { type: "input_file", file_data: "not base64!", filename: "a.txt" }, "input[0].content[1].file_data", "Invalid 'input[0].content[1].file_data': expected base64-encoded file content."],
  ];
  it.each(cases)("refuses %s, naming the field", async (_what, part, param, message) => {
    expect(await errorOf(await post(withPart(part)))).toMatchObject({ status: 400, type: "invalid_request_error", param, message });
  });

  it("answers 404 for an item reference the request cannot see", async () => {
    expect(await errorOf(await post({ model: "gpt-4o", input: [{ type: "item_reference", id: "msg_nowhere" }] }))).toMatchObject({ status: 404, message: "Item with id 'msg_nowhere' not found." });
    expect(await errorOf(await post({ model: "gpt-4o", input: [{ id: "msg_untyped" }] }))).toMatchObject({ status: 404, message: "Item with id 'msg_untyped' not found." });
  });
});

describe("truncation: disabled", () => {
  it("refuses input over SPOOL_MODEL_CONTEXT_TOKENS less max_output_tokens with context_length_exceeded", async () => {
    const small = await createInProcessApp({ SPOOL_MODEL_CONTEXT_TOKENS: "300" });
    try {
      const request = (body: Record<string, unknown>) => small.request("/v1/responses", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "gpt-4o", ...body }) });
      expect(await errorOf(await request({ input: "word ".repeat(400) }))).toMatchObject({
        status: 400,
        param: "input",
        code: "context_length_exceeded",
        message: "Your input exceeds the context window of this model. Please adjust your input and try again.",
      });
      // 250 tokens fit 300, but not 300 less the 100 the answer may take.
      expect(await errorOf(await request({ input: "word ".repeat(250), max_output_tokens: 100, truncation: "disabled" }))).toMatchObject({ status: 400, code: "context_length_exceeded" });
      const [created] = await firstEvents(await request({ input: "word ".repeat(250), stream: true }), 1);
      expect(created?.event).toBe("response.created");
    } finally {
      await small.close();
    }
  });
});

describe("include", () => {
  const refusal = (param: string) => ({
    status: 400,
    param,
    code: "invalid_value",
    message: expect.stringMatching(/^Invalid value: 'web_search_call\.everything'\. Supported values are: 'file_search_call\.results', .* and 'message\.output_text\.logprobs'\.$/),
  });

  it("refuses values the spec does not list, on create and on every read that takes include", async () => {
    expect(await errorOf(await post({ model: "gpt-4o", input: "hi", include: ["file_search_call.results", "web_search_call.everything"] }))).toMatchObject(refusal("include[1]"));
    const id = await createStreamed({ background: true });
    expect(await errorOf(await app.request(`/v1/responses/${id}?include[]=web_search_call.everything`))).toMatchObject(refusal("include[0]"));
    expect(await errorOf(await app.request(`/v1/responses/${id}/input_items?include[]=message.input_image.image_url&include[]=web_search_call.everything`))).toMatchObject(refusal("include[1]"));
    const conversation = (await (await app.request("/v1/conversations", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).json()) as { id: string };
    expect(await errorOf(await app.request(`/v1/conversations/${conversation.id}/items?include=web_search_call.everything`))).toMatchObject(refusal("include[0]"));
  });

  it("accepts every value the spec lists", async () => {
    const id = await createStreamed({ background: true, include: ["message.input_image.image_url", "message.output_text.logprobs", "reasoning.encrypted_content", "web_search_call.results"] });
    const all = ["file_search_call.results", "web_search_call.results", "web_search_call.action.sources", "message.input_image.image_url", "computer_call_output.output.image_url", "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs"];
    const query = all.map((value) => `include[]=${value}`).join("&");
    expect((await app.request(`/v1/responses/${id}?${query}`)).status).toBe(200);
    expect((await app.request(`/v1/responses/${id}/input_items?${query}`)).status).toBe(200);
  });
});
