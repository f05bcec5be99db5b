import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import OpenAI, { toFile } from "openai";
import { candidateSandboxRoots, markerWritten, writeMarker } from "../../src/testing/sandbox-cell-marker.js";
import type { RecordedRequest, ScriptedTurn } from "../../src/testing/scripted-upstream.js";
import { useTestServer } from "../../src/testing/test-server.js";

// Real server, real bubblewrap sandbox, scripted model, official SDK.
const server = useTestServer();
let assistantId: string;

beforeAll(async () => {
  const assistant = await server.client.beta.assistants.create({
    name: "Data analyst",
    model: "gpt-4o",
    instructions: "You analyse data with Python.",
    tools: [{ type: "code_interpreter" }],
  });
  assistantId = assistant.id;
});

interface ChatMessage {
  role: string;
  content: unknown;
}

function messagesOf(request: RecordedRequest): ChatMessage[] {
  return (request.body as { messages: ChatMessage[] }).messages;
}

/** What the last tool call returned, as the model sees it in the request (undefined before any tool ran). */
function lastToolResult(request: RecordedRequest): string | undefined {
  const messages = messagesOf(request);
  const last = messages.at(-1);
  return last?.role === "tool" && typeof last.content === "string" ? last.content : undefined;
}

/** The model runs `code` once, then answers with `answer(toolResult)`. */
function codeThenAnswer(code: string, answer: (toolResult: string) => string): void {
  server.upstream.setResponder((request): ScriptedTurn => {
    const toolResult = lastToolResult(request);
    return toolResult === undefined ? { toolCalls: [{ name: "code_interpreter", arguments: { code } }] } : { text: answer(toolResult) };
  });
}

async function runToCompletion(threadId: string): Promise<OpenAI.Beta.Threads.Run> {
  const run = await server.client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId }, { pollIntervalMs: 20 });
  expect(run.last_error).toBeNull();
  expect(run.status).toBe("completed");
  return run;
}

async function codeCalls(threadId: string, runId: string): Promise<OpenAI.Beta.Threads.Runs.CodeInterpreterToolCall[]> {
  const steps = await server.client.beta.threads.runs.steps.list(runId, { thread_id: threadId, order: "asc" });
  return steps.data.flatMap((step) =>
    step.step_details.type === "tool_calls" ? step.step_details.tool_calls.flatMap((call) => (call.type === "code_interpreter" ? [call] : [])) : [],
  );
}

function logsOf(call: OpenAI.Beta.Threads.Runs.CodeInterpreterToolCall | undefined): string {
  return (call?.code_interpreter.outputs ?? []).flatMap((output) => (output.type === "logs" ? [output.logs] : [])).join("");
}

async function latestAssistantMessage(threadId: string): Promise<OpenAI.Beta.Threads.Message> {
  const messages = await server.client.beta.threads.messages.list(threadId, { order: "desc", limit: 1 });
  const message = messages.data[0];
  expect(message?.role).toBe("assistant");
  return message!;
}

async function fileBytes(fileId: string): Promise<Buffer> {
  return Buffer.from(await (await server.client.files.content(fileId)).arrayBuffer());
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("code_interpreter", () => {
  it("runs the model's code and shows it and its output in the run step (the seed's fibonacci example)", async () => {
    const code = ["fib = [1, 1]", "while len(fib) < 20:", "    fib.append(fib[-1] + fib[-2])", "print(fib)"].join("\n");
    codeThenAnswer(code, (result) => `The first 20 Fibonacci numbers are: ${result.trim()}`);
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Generate the first 20 fibbonaci numbers with code." }] });
    const run = await runToCompletion(thread.id);

    const [call] = await codeCalls(thread.id, run.id);
    expect(call?.code_interpreter.input).toBe(code);
    expect(call?.id).toMatch(/\S/);
    expect(call?.code_interpreter.outputs).toEqual([{ type: "logs", logs: expect.stringContaining("6765") }]);
    const request = server.upstream.chatRequests().at(-1)!;
    expect(lastToolResult(request)).toContain("4181, 6765]");
    // The model is offered the function and told about the tool.
    const tools = (request.body as { tools: { function: { name: string } }[] }).tools;
    expect(tools.map((tool) => tool.function.name)).toEqual(["code_interpreter"]);
    expect(String(messagesOf(request)[0]?.content)).toContain("code_interpreter");

    const message = await latestAssistantMessage(thread.id);
    expect(message.content[0]).toMatchObject({ type: "text", text: { value: expect.stringContaining("6765") } });
  });

  it("puts an attached CSV at /mnt/data/<filename> and lets pandas summarise it", async () => {
    const rows = ["region,amount", "north,120", "south,80", "east,95.5", "west,104.5"];
    const file = await server.client.files.create({ file: await toFile(Buffer.from(rows.join("\n")), "sales.csv"), purpose: "assistants" });
    const code = "import pandas as pd\ndf = pd.read_csv('/mnt/data/sales.csv')\nprint('mean amount:', df['amount'].mean())\nlen(df)";
    codeThenAnswer(code, (result) => `Summary: ${result}`);
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: "What is the average amount?", attachments: [{ file_id: file.id, tools: [{ type: "code_interpreter" }] }] }],
    });
    const run = await runToCompletion(thread.id);

    const [call] = await codeCalls(thread.id, run.id);
    expect(logsOf(call)).toBe("mean amount: 100.0\n4\n");
    const requests = server.upstream.chatRequests();
    expect(lastToolResult(requests.at(-1)!)).toContain("mean amount: 100.0");
    expect(String(messagesOf(requests.at(-2)!)[0]?.content)).toContain("/mnt/data/sales.csv");
  });

  it("returns a chart with a Korean title as an image_file and links a generated CSV with a file_path annotation", async () => {
    const input = await server.client.files.create({ file: await toFile(Buffer.from("month,sales\n1,10\n2,30\n3,20\n"), "월별 매출.csv"), purpose: "assistants" });
    const code = [
      "import pandas as pd",
      "import matplotlib.pyplot as plt",
      "df = pd.read_csv('/mnt/data/월별 매출.csv')",
      "plt.plot(df['month'], df['sales'])",
      "plt.title('월별 매출')",
      "plt.show()",
      "df.assign(double=df['sales'] * 2).to_csv('/mnt/data/summary.csv', index=False)",
      "print('saved')",
    ].join("\n");
    const answer = "Here is the chart. Download [the summary](sandbox:/mnt/data/summary.csv).";
    let toolResult = "";
    codeThenAnswer(code, (result) => {
      toolResult = result;
      return answer;
    });
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: "Plot monthly sales and give me a CSV." }],
      tool_resources: { code_interpreter: { file_ids: [input.id] } },
    });
    const run = await runToCompletion(thread.id);

    const [call] = await codeCalls(thread.id, run.id);
    expect(logsOf(call)).toBe("saved\n");
    const imageOutput = call?.code_interpreter.outputs.find((output) => output.type === "image");
    const imageId = imageOutput?.type === "image" ? imageOutput.image.file_id : undefined;
    expect(imageId).toMatch(/^file-/);

    const message = await latestAssistantMessage(thread.id);
    expect(message.content).toHaveLength(2);
    expect(message.content[0]).toEqual({ type: "image_file", image_file: { file_id: imageId } });
    const png = await fileBytes(imageId!);
    expect(png.subarray(0, 8).equals(pngSignature)).toBe(true);
    expect(await server.client.files.retrieve(imageId!)).toMatchObject({ purpose: "assistants_output", filename: expect.stringMatching(/\.png$/) });

    const text = message.content[1];
    expect(text?.type).toBe("text");
    if (text?.type !== "text") return;
    expect(text.text.value).toBe(answer);
    const link = "sandbox:/mnt/data/summary.csv";
    const start = answer.indexOf(link);
    expect(text.text.annotations).toEqual([
      { type: "file_path", text: link, file_path: { file_id: expect.stringMatching(/^file-/) }, start_index: start, end_index: start + link.length },
    ]);
    const annotation = text.text.annotations[0];
    const csvId = annotation?.type === "file_path" ? annotation.file_path.file_id : "";
    expect((await fileBytes(csvId)).toString("utf8")).toBe("month,sales,double\n1,10,20\n2,30,60\n3,20,40\n");
    expect(await server.client.files.retrieve(csvId)).toMatchObject({ purpose: "assistants_output", filename: "summary.csv" });
    // The model was told the file's link and that the image was shown.
    expect(toolResult).toContain(`${link} (file id: ${csvId})`);
    expect(toolResult).toContain("1 image was shown");
  });

  it("keeps Python state across runs of one thread, and not across threads", async () => {
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Set x to 41." }] });
    codeThenAnswer("x = 41", () => "Done.");
    await runToCompletion(thread.id);

    await server.client.beta.threads.messages.create(thread.id, { role: "user", content: "What is x + 1?" });
    codeThenAnswer("x + 1", (result) => `It is ${result.trim()}.`);
    const second = await runToCompletion(thread.id);
    expect(logsOf((await codeCalls(thread.id, second.id))[0])).toBe("42\n");
    expect((await latestAssistantMessage(thread.id)).content[0]).toMatchObject({ type: "text", text: { value: "It is 42." } });

    // Another thread has its own session: the error goes back to the model, and the run goes on.
    const other = await server.client.beta.threads.create({ messages: [{ role: "user", content: "What is x + 1?" }] });
    let seenByModel = "";
    codeThenAnswer("x + 1", (result) => {
      seenByModel = result;
      return "x is not defined here.";
    });
    const isolated = await runToCompletion(other.id);
    expect(logsOf((await codeCalls(other.id, isolated.id))[0])).toContain("NameError: name 'x' is not defined");
    expect(seenByModel).toContain("NameError");
  });

  it("adds files attached in later messages of the thread to the same session, once each", async () => {
    const first = await server.client.files.create({ file: await toFile(Buffer.from("a\n1\n"), "first.csv"), purpose: "assistants" });
    const thread = await server.client.beta.threads.create({
      messages: [{ role: "user", content: "Load it.", attachments: [{ file_id: first.id, tools: [{ type: "code_interpreter" }] }] }],
    });
    codeThenAnswer("open('/mnt/data/first.csv', 'a').write('2\\n')\nprint(open('/mnt/data/first.csv').read())", () => "Loaded.");
    const run = await runToCompletion(thread.id);
    expect(logsOf((await codeCalls(thread.id, run.id))[0])).toBe("a\n1\n2\n\n");

    // A second file with the same name gets its id in its name, so neither hides the other.
    const second = await server.client.files.create({ file: await toFile(Buffer.from("b\n5\n"), "first.csv"), purpose: "assistants" });
    await server.client.beta.threads.messages.create(thread.id, {
      role: "user",
      content: "And this one.",
      attachments: [{ file_id: second.id, tools: [{ type: "code_interpreter" }] }],
    });
    codeThenAnswer("import os\nprint(sorted(os.listdir('/mnt/data')))\nprint(open('/mnt/data/first.csv').read())", () => "Both loaded.");
    const next = await runToCompletion(thread.id);
    // The first file was not written again: the line the code added is still there.
    expect(logsOf((await codeCalls(thread.id, next.id))[0])).toBe(`['first-${second.id}.csv', 'first.csv']\na\n1\n2\n\n`);
    expect(String(messagesOf(server.upstream.chatRequests().at(-1)!)[0]?.content)).toContain(`/mnt/data/first.csv, /mnt/data/first-${second.id}.csv`);
  });

  it("gives v1 assistant file_ids and message file_ids to the code", async () => {
    const v1Headers = { "content-type": "application/json", "openai-beta": "assistants=v1" };
    const post = async <T>(route: string, body: unknown): Promise<T> => {
      const response = await fetch(`${server.spool.url}/v1${route}`, { method: "POST", headers: v1Headers, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    const prices = await server.client.files.create({ file: await toFile(Buffer.from("price\n3\n4\n"), "prices.csv"), purpose: "assistants" });
    const counts = await server.client.files.create({ file: await toFile(Buffer.from("count\n10\n"), "counts.csv"), purpose: "assistants" });
    const assistant = await post<{ id: string }>("/assistants", { model: "gpt-4", tools: [{ type: "code_interpreter" }], file_ids: [prices.id] });
    const thread = await post<{ id: string }>("/threads", {});
    await post("/threads/" + thread.id + "/messages", { role: "user", content: "Multiply.", file_ids: [counts.id] });
    codeThenAnswer(
      "import pandas as pd\nprint(pd.read_csv('/mnt/data/prices.csv')['price'].sum() * pd.read_csv('/mnt/data/counts.csv')['count'][0])",
      (result) => `Total: ${result.trim()}`,
    );
    const run = await post<{ id: string }>(`/threads/${thread.id}/runs`, { assistant_id: assistant.id });
    const finished = await server.client.beta.threads.runs.poll(run.id, { thread_id: thread.id }, { pollIntervalMs: 20 });
    expect(finished.last_error).toBeNull();
    expect(logsOf((await codeCalls(thread.id, run.id))[0])).toBe("70\n");
  });

  it("stops running code when the run is cancelled", async () => {
    const marker = `sleeping-${randomUUID()}`;
    const code = `import time\nset_by_the_cancelled_cell = True\n${writeMarker(marker)}\ntime.sleep(30)`;
    server.upstream.setResponder(() => ({ toolCalls: [{ name: "code_interpreter", arguments: { code } }] }));
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Wait a long time." }] });
    const stream = server.client.beta.threads.runs.stream(thread.id, { assistant_id: assistantId });
    const codeShown = new Promise<string>((resolve) =>
      stream.on("toolCallDelta", (delta) => {
        const runId = stream.currentRun()?.id;
        if (delta.type === "code_interpreter" && delta.code_interpreter?.input && runId) resolve(runId);
      }),
    );
    const runId = await codeShown;
    // Cancelled once the cell has written its marker, so it is running code that the cancel stops.
    const roots = await candidateSandboxRoots(server.spool.dataDir);
    await expect.poll(() => markerWritten(roots, marker), { timeout: 15_000 }).toBe(true);
    await server.client.beta.threads.runs.cancel(runId, { thread_id: thread.id });
    const cancelled = await stream.finalRun();
    expect(cancelled.status).toBe("cancelled");

    // The thread's session works again afterwards, in a new Python process: the cancelled cell's was killed
    // (had it slept on, this cell would have waited for it and found its variable).
    codeThenAnswer("print('back', 'set_by_the_cancelled_cell' in globals())", () => "Back.");
    await server.client.beta.threads.messages.create(thread.id, { role: "user", content: "Still there?" });
    const again = await runToCompletion(thread.id);
    expect(logsOf((await codeCalls(thread.id, again.id))[0])).toBe("back False\n");
  });

  it("streams the code input, the logs and the image through the SDK's assistant stream", async () => {
    const code = "import matplotlib.pyplot as plt\nprint('hello from python')\nplt.bar(['a', 'b'], [3, 5])\nplt.show()";
    codeThenAnswer(code, () => "Chart drawn.");
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Draw a bar chart." }] });

    const created: string[] = [];
    let streamedInput = "";
    let inputFragments = 0;
    const streamedOutputs: unknown[] = [];
    const imagesDone: string[] = [];
    const stream = server.client.beta.threads.runs
      .stream(thread.id, { assistant_id: assistantId })
      .on("toolCallCreated", (toolCall) => created.push(toolCall.type))
      .on("toolCallDelta", (delta) => {
        if (delta.type !== "code_interpreter") return;
        streamedInput += delta.code_interpreter?.input ?? "";
        if (delta.code_interpreter?.input) inputFragments += 1;
        streamedOutputs.push(...(delta.code_interpreter?.outputs ?? []));
      })
      .on("imageFileDone", (image) => imagesDone.push(image.file_id));
    const run = await stream.finalRun();
    expect(run.status).toBe("completed");

    expect(created).toEqual(["code_interpreter"]);
    // The code streams as the model writes it, and is not repeated when it runs.
    expect(streamedInput).toBe(code);
    expect(inputFragments).toBeGreaterThan(1);
    expect(streamedOutputs).toEqual([
      { index: 0, type: "logs", logs: "hello from python\n" },
      { index: 1, type: "image", image: { file_id: expect.stringMatching(/^file-/) } },
    ]);
    const [call] = await codeCalls(thread.id, run.id);
    const image = call?.code_interpreter.outputs[1];
    expect(imagesDone).toEqual([image?.type === "image" ? image.image.file_id : "missing"]);
    const messages = await stream.finalMessages();
    expect(messages.at(-1)?.content.map((part) => part.type)).toEqual(["image_file", "text"]);
  });

  it("shows the code in the run step while it is still running, to clients that poll", async () => {
    const code = "import time\ntime.sleep(1.5)\nprint('slept')";
    codeThenAnswer(code, () => "Done sleeping.");
    const thread = await server.client.beta.threads.create({ messages: [{ role: "user", content: "Sleep a little." }] });
    const run = await server.client.beta.threads.runs.create(thread.id, { assistant_id: assistantId });
    await expect
      .poll(async () => (await codeCalls(thread.id, run.id))[0]?.code_interpreter.input, { timeout: 5000, interval: 50 })
      .toBe(code);
    expect((await server.client.beta.threads.runs.retrieve(run.id, { thread_id: thread.id })).status).toBe("in_progress");
    const finished = await server.client.beta.threads.runs.poll(run.id, { thread_id: thread.id });
    expect(finished.status).toBe("completed");
    expect(logsOf((await codeCalls(thread.id, run.id))[0])).toContain("slept");
  });
});
