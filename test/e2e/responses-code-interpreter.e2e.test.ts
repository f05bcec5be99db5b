import OpenAI, { toFile } from "openai";
import OpenAIv7 from "openai-v7";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import type { RecordedRequest, ScriptedTurn } from "../../src/testing/scripted-upstream.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

// The code_interpreter tool of the Responses API: real server, real bubblewrap sandbox, scripted model, official SDKs.
const server = useTestServer();
let client: OpenAI;
let strict: OpenAIv7;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client, strict } = recordedClients(server.spool));
});

/** What the last tool call returned, as the model sees it (undefined before any tool ran in this turn). */
function lastToolResult(request: RecordedRequest): string | undefined {
  const last = (request.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
  return last?.role === "tool" && typeof last.content === "string" ? last.content : undefined;
}

/** The model runs `code` once, then answers with `answer(toolResult)`. */
function codeThenAnswer(code: string, answer: (toolResult: string) => string): void {
  server.upstream.setResponder((request): ScriptedTurn => {
    const result = lastToolResult(request);
    return result === undefined ? { toolCalls: [{ name: "code_interpreter", arguments: { code } }] } : { text: answer(result) };
  });
}

type CodeCall = Extract<OpenAI.Responses.ResponseOutputItem, { type: "code_interpreter_call" }>;

function codeCallOf(response: OpenAI.Responses.Response): CodeCall {
  const call = response.output.find((item): item is CodeCall => item.type === "code_interpreter_call");
  expect(call).toBeDefined();
  return call!;
}

function answerText(response: OpenAI.Responses.Response) {
  const message = response.output.find((item) => item.type === "message");
  const part = message?.type === "message" ? message.content[0] : undefined;
  return part?.type === "output_text" ? part : undefined;
}

async function containerFileText(containerId: string, fileId: string): Promise<string> {
  return (await client.containers.files.content.retrieve(fileId, { container_id: containerId })).text();
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("code_interpreter in responses", () => {
  it("runs the model's code in the sandbox and shows its logs only when asked", async () => {
    const code = "fib = [1, 1]\nwhile len(fib) < 20:\n    fib.append(fib[-1] + fib[-2])\nprint(fib[-1])";
    codeThenAnswer(code, (result) => `The 20th Fibonacci number is ${result.trim()}.`);
    const response = await client.responses.create({ model: "gpt-4o", input: "The 20th Fibonacci number, with code.", tools: [{ type: "code_interpreter", container: { type: "auto" } }] });
    expect(response.status).toBe("completed");
    expect(response.tools).toEqual([{ type: "code_interpreter", container: { type: "auto" } }]);
    const call = codeCallOf(response);
    expect(call).toEqual({ type: "code_interpreter_call", id: expect.stringMatching(/^ci_/), status: "completed", container_id: expect.stringMatching(/^cntr_/), code, outputs: null });
    expect(response.output.map((item) => item.type)).toEqual(["code_interpreter_call", "message"]);
    expect(response.output_text).toBe("The 20th Fibonacci number is 6765.");
    expect(lastToolResult(server.upstream.chatRequests().at(-1)!)).toContain("6765");

    const included = await client.responses.retrieve(response.id, { include: ["code_interpreter_call.outputs"] });
    expect(codeCallOf(included).outputs).toEqual([{ type: "logs", logs: "6765\n" }]);
    expect(codeCallOf(await client.responses.retrieve(response.id)).outputs).toBeNull();
    const created = await client.responses.create({
      model: "gpt-4o",
      input: "Again.",
      tools: [{ type: "code_interpreter", container: "auto" }],
      include: ["code_interpreter_call.outputs"],
    });
    expect(codeCallOf(created).outputs).toEqual([{ type: "logs", logs: "6765\n" }]);
    // Each response of its own gets a container of its own.
    expect(codeCallOf(created).container_id).not.toBe(call.container_id);

    // A client that keeps the history itself sends the output back as input, the call included.
    server.upstream.setResponder(() => ({ text: "You're welcome." }));
    const followUp = await client.responses.create({ model: "gpt-4o", input: [...included.output.filter((item) => item.type === "code_interpreter_call" || item.type === "message"), { role: "user", content: "Thanks!" }] });
    expect(followUp.output_text).toBe("You're welcome.");
    const inputItems = await client.responses.inputItems.list(followUp.id, { order: "asc" });
    expect(inputItems.data.map((item) => item.type)).toEqual(["code_interpreter_call", "message", "message"]);
    expect(inputItems.data[0]).toMatchObject({ code, container_id: call.container_id, outputs: [{ type: "logs", logs: "6765\n" }] });
  });

  it("keeps a file the code writes in the container, downloadable and cited with container_file_citation", async () => {
    const code = "with open('/mnt/data/report.csv', 'w') as f:\n    f.write('region,amount\\nnorth,120\\n')\nprint('saved')";
    codeThenAnswer(code, () => "Here it is: [report.csv](sandbox:/mnt/data/report.csv).");
    const response = await client.responses.create({
      model: "gpt-4o",
      input: "Write a CSV.",
      tools: [{ type: "code_interpreter", container: { type: "auto" } }],
      tool_choice: { type: "code_interpreter" },
    });
    expect(response.tool_choice).toEqual({ type: "code_interpreter" });
    expect(server.upstream.chatRequests().at(-2)?.body.tool_choice).toEqual({ type: "function", function: { name: "code_interpreter" } });
    const { container_id: containerId } = codeCallOf(response);
    const text = answerText(response);
    expect(text?.annotations).toEqual([
      {
        type: "container_file_citation",
        container_id: containerId,
        file_id: expect.stringMatching(/^cfile_/),
        filename: "report.csv",
        start_index: "Here it is: [report.csv](".length,
        end_index: "Here it is: [report.csv](sandbox:/mnt/data/report.csv".length,
      },
    ]);
    const citation = text?.annotations[0];
    const fileId = citation?.type === "container_file_citation" ? citation.file_id : "";
    expect(await containerFileText(containerId, fileId)).toBe("region,amount\nnorth,120\n");
    const files = await client.containers.files.list(containerId);
    expect(files.data).toEqual([expect.objectContaining({ id: fileId, path: "/mnt/data/report.csv", source: "assistant", bytes: 24 })]);
    // The model was told the file's link.
    expect(lastToolResult(server.upstream.chatRequests().at(-1)!)).toContain("sandbox:/mnt/data/report.csv");
  });

  it("keeps a named container's files between responses: uploads in, files and charts out", async () => {
    const container = await client.containers.create({ name: "Sales" });
    await client.containers.files.create(container.id, { file: await toFile(Buffer.from("month,sales\n1,10\n2,30\n3,20\n"), "sales.csv") });
    const first = [
      "import pandas as pd",
      "import matplotlib.pyplot as plt",
      "df = pd.read_csv('/mnt/data/sales.csv')",
      "open('/mnt/data/total.txt', 'w').write(str(df['sales'].sum()))",
      "plt.plot(df['month'], df['sales'])",
      "plt.show()",
    ].join("\n");
    codeThenAnswer(first, () => "Charted.");
    const tools: OpenAI.Responses.Tool[] = [{ type: "code_interpreter", container: container.id }];
    const charted = await client.responses.create({ model: "gpt-4o", input: "Chart my sales.", tools, include: ["code_interpreter_call.outputs"] });
    expect(charted.status).toBe("completed");
    expect(charted.tools).toEqual(tools);
    const call = codeCallOf(charted);
    expect(call.container_id).toBe(container.id);
    // The model was told of the container's files before its code ran.
    expect(JSON.stringify(server.upstream.chatRequests().at(-2)?.body.messages)).toContain("/mnt/data/sales.csv");
    // As hosted, the image is shown as a data URL; its bytes are the container file's.
    const image = call.outputs?.find((output) => output.type === "image");
    const url = image?.type === "image" ? image.url : "";
    expect(url).toMatch(/^data:image\/png;base64,/);
    const inline = Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
    expect(inline.subarray(0, 8)).toEqual(pngSignature);
    const imageFile = (await client.containers.files.list(container.id)).data.find((file) => file.path.endsWith(".png"));
    const imageId = imageFile?.id ?? "";
    const png = Buffer.from(await (await client.containers.files.content.retrieve(imageId, { container_id: container.id })).arrayBuffer());
    expect(png).toEqual(inline);

    // A later response on no conversation at all, naming the container, sees what the first one wrote.
    codeThenAnswer("print(open('/mnt/data/total.txt').read())", (result) => `Total: ${result.trim()}`);
    const later = await client.responses.create({ model: "gpt-4o", input: "What was the total?", tools });
    expect(later.output_text).toBe("Total: 60");
    const paths = (await client.containers.files.list(container.id, { order: "asc" })).data.map((file) => file.path);
    expect(paths).toEqual(["/mnt/data/sales.csv", `/mnt/data/${imageId}.png`, "/mnt/data/total.txt"]);
    expect((await client.containers.retrieve(container.id)).last_active_at).toBeGreaterThanOrEqual(container.last_active_at ?? Number.POSITIVE_INFINITY);
  });

  it("lets Assistants clients on the conversation's thread retrieve and download what the code wrote", async () => {
    const conversation = await client.conversations.create({});
    codeThenAnswer("import matplotlib.pyplot as plt\nplt.plot([1, 2], [3, 1])\nplt.show()\nopen('/mnt/data/note.txt', 'w').write('hi')", () => "See [note.txt](sandbox:/mnt/data/note.txt).");
    const response = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Chart it.", tools: [{ type: "code_interpreter", container: { type: "auto" } }] });
    expect(response.status).toBe("completed");

    // Not recorded: the spec check covers the Responses answers only.
    const assistants = server.spool.client();
    const [run] = (await assistants.beta.threads.runs.list(conversation.id)).data;
    const steps = await assistants.beta.threads.runs.steps.list(run?.id ?? "", { thread_id: conversation.id });
    const outputs = steps.data.flatMap((step) => (step.step_details.type === "tool_calls" ? step.step_details.tool_calls : [])).flatMap((call) => (call.type === "code_interpreter" ? call.code_interpreter.outputs : []));
    const image = outputs.find((output) => output.type === "image");
    const imageId = image?.type === "image" ? image.image.file_id : "";
    expect(imageId).toMatch(/^cfile_/);
    expect(await assistants.files.retrieve(imageId)).toMatchObject({ id: imageId, object: "file", purpose: "assistants_output", filename: `${imageId}.png` });
    expect(Buffer.from(await (await assistants.files.content(imageId)).arrayBuffer()).subarray(0, 8)).toEqual(pngSignature);

    const [message] = (await assistants.beta.threads.messages.list(conversation.id)).data;
    const link = message?.content[0]?.type === "text" ? message.content[0].text.annotations[0] : undefined;
    const linkedId = link?.type === "file_path" ? link.file_path.file_id : "";
    expect(await (await assistants.files.content(linkedId)).text()).toBe("hi");
    // Container files are listed and deleted through the Containers API only.
    expect((await assistants.files.list()).data.map((file) => file.id)).not.toContain(linkedId);
    await expect(assistants.files.delete(linkedId)).rejects.toMatchObject({ status: 404 });
  });

  it("reuses the conversation's auto container, with the tool's files copied in once", async () => {
    const input = await client.files.create({ file: await toFile(Buffer.from("7\n"), "seed.txt"), purpose: "assistants" });
    const conversation = await client.conversations.create({});
    const tools: OpenAI.Responses.Tool[] = [{ type: "code_interpreter", container: { type: "auto", file_ids: [input.id] } }];
    codeThenAnswer("n = int(open('/mnt/data/seed.txt').read())\nopen('/mnt/data/double.txt', 'w').write(str(n * 2))\nprint(n)", (result) => `Seed ${result.split("\n")[0]}.`);
    const first = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "Read the seed.", tools });
    expect(first.output_text).toBe("Seed 7.");
    codeThenAnswer("print(open('/mnt/data/double.txt').read())", (result) => `Double ${result.trim()}.`);
    const second = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "And doubled?", tools });
    expect(second.output_text).toBe("Double 14.");
    const containerId = codeCallOf(first).container_id;
    expect(codeCallOf(second).container_id).toBe(containerId);
    const names = (await client.containers.files.list(containerId, { order: "asc" })).data.map((file) => file.path);
    expect(names).toEqual(["/mnt/data/seed.txt", "/mnt/data/double.txt"]);

    // The conversation lists the calls, outputs when asked.
    const items = await client.conversations.items.list(conversation.id, { order: "asc", include: ["code_interpreter_call.outputs"] });
    expect(items.data.map((item) => item.type)).toEqual(["message", "code_interpreter_call", "message", "message", "code_interpreter_call", "message"]);
    expect(items.data[4]).toMatchObject({ container_id: containerId, outputs: [{ type: "logs", logs: "14\n" }] });
  });

  it("streams the call in the order openai 7.x accepts, then the answer with its citation", async () => {
    const code = "open('/mnt/data/hello.txt', 'w').write('hi')\nprint('done')";
    codeThenAnswer(code, () => "See [hello.txt](sandbox:/mnt/data/hello.txt).");
    const stream = strict.responses.stream({ model: "gpt-4o", input: "Say hi in a file.", tools: [{ type: "code_interpreter", container: { type: "auto" } }] });
    const types: string[] = [];
    const annotations: unknown[] = [];
    const codeDeltas: string[] = [];
    stream.on("event", (event) => types.push(event.type));
    stream.on("response.output_text.annotation.added", (event) => annotations.push(event.annotation));
    stream.on("response.code_interpreter_call_code.delta", (event) => codeDeltas.push(event.delta));
    const final = await stream.finalResponse();
    // The code streams as the model writes it, fragment by fragment.
    expect(codeDeltas.length).toBeGreaterThan(1);
    expect(codeDeltas.join("")).toBe(code);
    expect(types.filter((type, index) => type !== types[index - 1]).slice(0, 9)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.code_interpreter_call.in_progress",
      "response.code_interpreter_call_code.delta",
      "response.code_interpreter_call_code.done",
      "response.code_interpreter_call.interpreting",
      "response.code_interpreter_call.completed",
      "response.output_item.done",
    ]);
    expect(final.output.map((item) => item.type)).toEqual(["code_interpreter_call", "message"]);
    expect(final.output[0]).toMatchObject({ type: "code_interpreter_call", status: "completed", code });
    const containerId = final.output[0]?.type === "code_interpreter_call" ? final.output[0].container_id : "";
    expect(annotations).toEqual([expect.objectContaining({ type: "container_file_citation", container_id: containerId, filename: "hello.txt" })]);
    expect(types.at(-1)).toBe("response.completed");
  });

  it("refuses unknown containers and files by name, before anything runs", async () => {
    const before = server.upstream.chatRequests().length;
    await expect(client.responses.create({ model: "gpt-4o", input: "x", tools: [{ type: "code_interpreter", container: "cntr_missing" }] })).rejects.toMatchObject({
      status: 404,
      error: { message: "No container found with id 'cntr_missing'." },
    });
    await expect(
      client.responses.create({ model: "gpt-4o", input: "x", tools: [{ type: "code_interpreter", container: { type: "auto", file_ids: ["file-missing"] } }] }),
    ).rejects.toMatchObject({ status: 404, error: { message: "No file found with id 'file-missing'." } });
    const missing = { type: "code_interpreter" } as OpenAI.Responses.Tool;
    await expect(client.responses.create({ model: "gpt-4o", input: "x", tools: [missing] })).rejects.toMatchObject({
      status: 400,
      error: { param: "tools[0].container", code: "missing_required_parameter" },
    });
    const networked: OpenAI.Responses.Tool = { type: "code_interpreter", container: { type: "auto", network_policy: { type: "allowlist", allowed_domains: ["example.com"] } } };
    await expect(client.responses.create({ model: "gpt-4o", input: "x", tools: [networked] })).rejects.toMatchObject({
      status: 400,
      error: { param: "tools[0].container.network_policy" },
    });
    expect(server.upstream.chatRequests()).toHaveLength(before);
  });

  it("answers and streams within the spec's schemas", async () => {
    const { problems, streamed } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
    expect([...streamed]).toEqual(
      expect.arrayContaining(["response.code_interpreter_call.interpreting", "response.code_interpreter_call_code.done", "response.output_text.annotation.added"]),
    );
  });
});
