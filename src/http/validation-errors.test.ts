import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessApp, type InProcessApp } from "../testing/in-process-app.js";

let app: InProcessApp;
beforeAll(async () => {
  app = await createInProcessApp();
});
afterAll(() => app.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.request(`/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "openai-beta": "assistants=v2", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: Record<string, unknown> } };
}

const metadataOf17 = Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, "v"]));
const tools = (count: number) => Array.from({ length: count }, () => ({ type: "code_interpreter" }));
const message = (content: unknown) => ({ role: "user", content });

/** [what, path, body, param, code, message]: each a case built from the spec's request schemas and limits. */
const cases: [string, string, unknown, string | null, string, string][] = [
  ["a missing field", "/assistants", {}, "model", "missing_required_parameter", "Missing required parameter: 'model'."],
  ["a wrong type", "/assistants", { model: "gpt-4o", temperature: "hot" }, "temperature", "invalid_type", "Invalid type for 'temperature': expected a number, but got a string instead."],
  ["a wrong-typed metadata value", "/assistants", { model: "gpt-4o", metadata: { n: 1 } }, "metadata.n", "invalid_type", "Invalid type for 'metadata.n': expected a string, but got an integer instead."],
  ["null where null is not allowed", "/assistants", { model: null }, "model", "invalid_type", "Invalid type for 'model': expected a string, but got null instead."],
  ["a decimal where an integer is expected", "/threads/thread_x/runs", { assistant_id: "asst_x", max_prompt_tokens: 300.5 }, "max_prompt_tokens", "invalid_type", "Invalid type for 'max_prompt_tokens': expected an integer, but got a decimal number instead."],
  ["a number above its maximum", "/assistants", { model: "gpt-4o", temperature: 3 }, "temperature", "integer_above_max_value", "Invalid 'temperature': integer above maximum value. Expected a value <= 2, but got 3 instead."],
  ["a decimal above its maximum", "/assistants", { model: "gpt-4o", top_p: 1.5 }, "top_p", "decimal_above_max_value", "Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead."],
  ["an integer below its minimum", "/threads/thread_x/runs", { assistant_id: "asst_x", max_completion_tokens: 10 }, "max_completion_tokens", "integer_below_min_value", "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 256, but got 10 instead."],
  ["a name too long", "/assistants", { model: "gpt-4o", name: "n".repeat(257) }, "name", "string_above_max_length", "Invalid 'name': string too long. Expected a string with maximum length 256, but got a string with length 257 instead."],
  ["a description too long", "/assistants", { model: "gpt-4o", description: "d".repeat(513) }, "description", "string_above_max_length", "Invalid 'description': string too long. Expected a string with maximum length 512, but got a string with length 513 instead."],
  ["instructions too long", "/assistants", { model: "gpt-4o", instructions: "i".repeat(256_001) }, "instructions", "string_above_max_length", "Invalid 'instructions': string too long. Expected a string with maximum length 256000, but got a string with length 256001 instead."],
  ["too many tools", "/assistants", { model: "gpt-4o", tools: tools(129) }, "tools", "array_above_max_length", "Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 129 instead."],
  ["too many run tools", "/threads/thread_x/runs", { assistant_id: "asst_x", tools: tools(21) }, "tools", "array_above_max_length", "Invalid 'tools': array too long. Expected an array with maximum length 20, but got an array with length 21 instead."],
  ["too many code interpreter files", "/assistants", { model: "gpt-4o", tool_resources: { code_interpreter: { file_ids: Array.from({ length: 21 }, (_, index) => `file-${index}`) } } }, "tool_resources.code_interpreter.file_ids", "array_above_max_length", "Invalid 'tool_resources.code_interpreter.file_ids': array too long. Expected an array with maximum length 20, but got an array with length 21 instead."],
  ["a function name with a bad character", "/assistants", { model: "gpt-4o", tools: [{ type: "function", function: { name: "bad name!" } }] }, "tools[0].function.name", "invalid_value", "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'."],
  ["a function name too long", "/assistants", { model: "gpt-4o", tools: [{ type: "function", function: { name: "f".repeat(65) } }] }, "tools[0].function.name", "string_above_max_length", "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead."],
  ["a missing nested field", "/assistants", { model: "gpt-4o", tools: [{ type: "function", function: {} }] }, "tools[0].function.name", "missing_required_parameter", "Missing required parameter: 'tools[0].function.name'."],
  ["an unknown tool type", "/assistants", { model: "gpt-4o", tools: [{ type: "browser" }] }, "tools[0].type", "invalid_value", "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'file_search', and 'function'."],
  ["an unknown enum value", "/threads/thread_x/runs", { assistant_id: "asst_x", tool_choice: "always" }, "tool_choice", "invalid_value", "Invalid value: 'always'. Supported values are: 'none', 'auto', and 'required'."],
  ["an unknown parameter", "/assistants", { model: "gpt-4o", foo: 1 }, "foo", "unknown_parameter", "Unknown parameter: 'foo'."],
  ["an unknown nested parameter", "/assistants", { model: "gpt-4o", tools: [{ type: "code_interpreter", extra: true }] }, "tools[0].extra", "unknown_parameter", "Unknown parameter: 'tools[0].extra'."],
  ["too many metadata pairs", "/threads", { metadata: metadataOf17 }, "metadata", "object_above_max_properties", "Invalid 'metadata': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead."],
  ["a metadata key too long", "/threads", { metadata: { ["k".repeat(65)]: "v" } }, `metadata.${"k".repeat(65)}`, "string_above_max_length", `Invalid property name in 'metadata': '${"k".repeat(65)}' is too long. Expected a string with maximum length 64, but got a string with length 65 instead.`],
  ["a metadata value too long", "/threads", { metadata: { k: "v".repeat(513) } }, "metadata.k", "string_above_max_length", "Invalid 'metadata.k': string too long. Expected a string with maximum length 512, but got a string with length 513 instead."],
  ["an empty message", "/threads/thread_x/messages", message(""), "content", "empty_string", "Invalid 'content': empty string. Expected a string with minimum length 1, but got an empty string instead."],
  ["a message too long", "/threads/thread_x/messages", message("m".repeat(256_001)), "content", "string_above_max_length", "Invalid 'content': string too long. Expected a string with maximum length 256000, but got a string with length 256001 instead."],
  ["a message text part too long", "/threads/thread_x/messages", message([{ type: "text", text: "m".repeat(256_001) }]), "content[0].text", "string_above_max_length", "Invalid 'content[0].text': string too long. Expected a string with maximum length 256000, but got a string with length 256001 instead."],
  ["no content parts", "/threads/thread_x/messages", message([]), "content", "empty_array", "Invalid 'content': empty array. Expected an array with minimum length 1, but got an empty array instead."],
  ["content of neither type", "/threads/thread_x/messages", message({ text: "hi" }), "content", "invalid_type", "Invalid type for 'content': expected one of a string or an array, but got an object instead."],
  ["an attachment without tools", "/threads/thread_x/messages", { ...message("hi"), attachments: [{ file_id: "file-1" }] }, "attachments[0].tools", "missing_required_parameter", "Missing required parameter: 'attachments[0].tools'."],
  ["an attachment with an empty file id", "/threads/thread_x/messages", { ...message("hi"), attachments: [{ file_id: "", tools: [] }] }, "attachments[0].file_id", "empty_string", "Invalid 'attachments[0].file_id': empty string. Expected a string with minimum length 1, but got an empty string instead."],
  ["too many thread messages", "/threads", { messages: Array.from({ length: 33 }, () => message("hi")) }, "messages", "array_above_max_length", "Invalid 'messages': array too long. Expected an array with maximum length 32, but got an array with length 33 instead."],
  ["a nested message error", "/threads/runs", { assistant_id: "asst_x", thread: { messages: [message("hi"), message("")] } }, "thread.messages[1].content", "empty_string", "Invalid 'thread.messages[1].content': empty string. Expected a string with minimum length 1, but got an empty string instead."],
  ["too many vector store files", "/vector_stores", { file_ids: Array.from({ length: 501 }, (_, index) => `file-${index}`) }, "file_ids", "array_above_max_length", "Invalid 'file_ids': array too long. Expected an array with maximum length 500, but got an array with length 501 instead."],
  ["too many file attributes", "/vector_stores/vs_x/files", { file_id: "file-1", attributes: metadataOf17 }, "attributes", "object_above_max_properties", "Invalid 'attributes': too many properties. Expected an object with at most 16 properties, but got an object with 17 properties instead."],
  ["an overlap over half the chunk size", "/vector_stores", { chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 401 } } }, "chunking_strategy.static.chunk_overlap_tokens", "integer_above_max_value", "Invalid 'chunking_strategy.static.chunk_overlap_tokens': integer above maximum value. Expected a value <= 400, but got 401 instead."],
  ["a body that is not an object", "/assistants", ["gpt-4o"], null, "invalid_type", "The request body must be an object, but got an array instead."],
];

describe("validation errors in the hosted wording", () => {
  it.each(cases)("%s", async (_what, path, body, param, code, message) => {
    const { status, body: answer } = await post(path, body);
    expect(status).toBe(400);
    expect(answer).toEqual({ error: { type: "invalid_request_error", param, code, message } });
  });

  it("names the query parameter of a list", async () => {
    const response = await app.request("/v1/assistants?limit=0");
    expect(await response.json()).toEqual({
      error: { type: "invalid_request_error", param: "limit", code: "integer_below_min_value", message: "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead." },
    });
  });

  it("accepts every limit exactly", async () => {
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`${index}`.padEnd(64, "k"), "v".repeat(512)]));
    const assistant = await post("/assistants", { model: "gpt-4o", name: "n".repeat(256), description: "d".repeat(512), instructions: "i".repeat(256_000), tools: tools(128), metadata });
    expect(assistant.status).toBe(200);
    const thread = await post("/threads", { messages: Array.from({ length: 32 }, () => message("hi")) });
    expect(thread.status).toBe(200);
    expect((await post(`/threads/${String(thread.body["id"])}/messages`, message("m".repeat(256_000)))).status).toBe(200);
  });
});

describe("v1 keeps its looser metadata", () => {
  const v1 = { "openai-beta": "assistants=v1" };

  it("stores numbers and booleans as the strings v2 reads back", async () => {
    const created = await post("/assistants", { model: "gpt-4o", metadata: { official: false, count: 3 } }, v1);
    expect(created.status).toBe(200);
    expect(created.body["metadata"]).toEqual({ official: "false", count: "3" });
    const read = await app.request(`/v1/assistants/${String(created.body["id"])}`, { headers: { "openai-beta": "assistants=v2" } });
    expect(((await read.json()) as Record<string, unknown>)["metadata"]).toEqual({ official: "false", count: "3" });
    const thread = await post("/threads", { messages: [{ ...message("hi"), metadata: { seen: true } }], metadata: { official: false } }, v1);
    expect(thread.body["metadata"]).toEqual({ official: "false" });
    const modified = await post(`/threads/${String(thread.body["id"])}`, { metadata: { official: true } }, v1);
    expect(modified.body["metadata"]).toEqual({ official: "true" });
  });

  it("keeps the limits and refuses values that are not scalars", async () => {
    expect((await post("/threads", { metadata: metadataOf17 }, v1)).body.error).toMatchObject({ code: "object_above_max_properties" });
    expect((await post("/threads", { metadata: { k: "v".repeat(513) } }, v1)).body.error).toMatchObject({ param: "metadata.k", code: "string_above_max_length" });
    expect((await post("/threads", { metadata: { k: { nested: true } } }, v1)).body.error).toMatchObject({ param: "metadata.k", code: "invalid_type" });
  });

  it("is strict for v2 clients", async () => {
    expect((await post("/threads", { metadata: { official: false } })).body.error).toMatchObject({
      param: "metadata.official",
      code: "invalid_type",
      message: "Invalid type for 'metadata.official': expected a string, but got a boolean instead.",
    });
  });
});
