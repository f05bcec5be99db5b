/**
 * The playground's Responses mode in Chromium against a real Spool server and a scripted upstream model:
 * a streamed answer over a conversation, a function defined in the UI, file_search over a chosen vector
 * store with its citation, an assistant as the prompt, and a conversation an SDK client created showing up
 * in the playground. Set SPOOL_UI_SCREENSHOTS=docs/screenshots to (re)write the screenshots in the docs.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { toFile } from "openai";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeEconomyReportPdf } from "../fixtures/documents.js";
import { startScriptedUpstream, type RecordedRequest, type ScriptedTurn, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { ensureUiBuilt, launchChromium } from "./browser.js";

const screenshotDir = process.env.SPOOL_UI_SCREENSHOTS ? path.resolve(process.env.SPOOL_UI_SCREENSHOTS) : undefined;
const WAIT = { timeout: 15_000 };
const WEATHER_FUNCTION = { name: "get_weather", description: "Current weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** The text the server sent back to the model as the latest tool result (undefined before any tool ran). */
function lastToolResult(request: RecordedRequest): string | undefined {
  const last = (request.body.messages as { role: string; content: unknown }[]).at(-1);
  if (last?.role !== "tool") return undefined;
  return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
}

function systemText(request: RecordedRequest | undefined): string {
  const messages = (request?.body.messages ?? []) as { role: string; content: unknown }[];
  return messages.filter((message) => message.role === "system").map((message) => JSON.stringify(message.content)).join("\n");
}

/** The conversation id the Responses screen shows in the address bar. */
async function conversationInUrl(page: Page): Promise<string> {
  let id = "";
  await expect.poll(() => (id = /#\/responses\/(conv_[\w-]+)/.exec(page.url())?.[1] ?? ""), WAIT).not.toBe("");
  return id;
}

/** Opens the "Model, instructions and tools" panel unless it is open. */
async function openSetup(page: Page): Promise<void> {
  const panel = page.locator("details.setup");
  if (!(await panel.evaluate((details: HTMLDetailsElement) => details.open))) await panel.locator("summary").click();
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

describe("Responses mode (browser)", () => {
  let upstream: ScriptedUpstream;
  let spool: StartedSpool;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureUiBuilt();
    upstream = await startScriptedUpstream();
    // As in the playground test: when the tests run as root, the sandbox's user must pass through the data dir.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "spool-ui-responses-"));
    chmodSync(dataDir, 0o711);
    spool = await startSpool({ upstreamUrl: upstream.url, dataDir });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", acceptDownloads: true });
    page = await context.newPage();
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("response", (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spool?.close();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(problems.splice(0), "console errors and failed requests on the page").toEqual([]);
    expect(upstream.pendingTurns()).toBe(0);
    upstream.reset();
  });

  it("streams an answer over a new conversation that Assistants clients see as a thread", async () => {
    await page.goto(`${spool.url}/#/chat`);
    await page.getByRole("navigation", { name: "Chat mode" }).getByRole("link", { name: "Responses" }).click();
    await openSetup(page);
    await page.getByLabel("Model", { exact: true }).fill("gpt-4o-mini");
    await page.getByLabel("Instructions").fill("Answer in Korean.");
    upstream.enqueue({ text: ["안녕하세요! ", "저는 ", "**Responses** ", "모드", "입니다."], chunkDelayMs: 250 });
    await send(page, "안녕?");

    const reply = page.locator(".message-assistant").last();
    await reply.getByText("안녕하세요!").waitFor(WAIT);
    // The first tokens are on screen while the rest is still streaming.
    expect(await reply.textContent()).not.toContain("입니다.");
    await reply.getByText("입니다.").waitFor(WAIT);
    expect(await reply.locator("strong").textContent()).toBe("Responses");
    await page.getByText(/^Response completed · \d+ tokens$/).waitFor(WAIT);

    const request = upstream.chatRequests()[0];
    expect(request?.body.model).toBe("gpt-4o-mini");
    expect(systemText(request)).toContain("Answer in Korean.");
    const conversationId = await conversationInUrl(page);
    const client = spool.client();
    const items = (await client.conversations.items.list(conversationId, { order: "asc" })).data;
    expect(items.map((item) => (item.type === "message" ? item.role : item.type))).toEqual(["user", "assistant"]);
    const messages = (await client.beta.threads.messages.list(conversationId, { order: "asc" })).data;
    expect(messages.map((message) => message.content[0]?.type === "text" && message.content[0].text.value)).toEqual(["안녕?", "안녕하세요! 저는 **Responses** 모드입니다."]);
    // The user's message is shown as stored, not twice.
    expect(await page.locator(".message-user").count()).toBe(1);
  });

  it("calls a function defined in the UI and sends its output with the next response", async () => {
    await openSetup(page);
    await page.getByRole("button", { name: "Add function" }).click();
    await page.getByLabel("Function 1 (JSON)").fill(JSON.stringify(WEATHER_FUNCTION, null, 2));
    upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "서울" } }] }, { text: "서울은 지금 21°C, 맑음입니다." });
    await send(page, "What's the weather in Seoul?");

    const form = page.getByRole("form", { name: "Submit tool outputs" });
    await form.waitFor(WAIT);
    expect(await form.getByLabel("Arguments of get_weather").textContent()).toContain('"city": "서울"');
    await form.getByLabel("Output of get_weather").fill('{"temperature_c":21}');
    await form.getByRole("button", { name: "Submit tool output" }).click();
    await page.getByText("서울은 지금 21°C, 맑음입니다.").waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);

    const call = page.locator(".tool-item").filter({ hasText: "function get_weather" });
    expect(await call.locator(".code-block").allTextContents()).toEqual(['{\n  "city": "서울"\n}', '{"temperature_c":21}']);
    expect(await form.count()).toBe(0);
    const [first, second] = upstream.chatRequests();
    expect((first?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(["get_weather"]);
    expect(lastToolResult(second!)).toBe('{"temperature_c":21}');
  });

  it("searches the vector stores ticked in the UI and shows the call and its citation", async () => {
    const client = spool.client();
    const store = await client.vectorStores.create({ name: "경제 보고서" });
    await client.vectorStores.files.uploadAndPoll(store.id, await toFile(await makeEconomyReportPdf(), "economy-report.pdf"), { pollIntervalMs: 50 });
    await page.getByRole("button", { name: "New conversation" }).click();
    await page.getByRole("button", { name: "Remove function" }).click();
    await page.getByLabel("File search").check();
    await page.getByRole("group", { name: "Vector stores to search" }).getByLabel("경제 보고서").check();
    upstream.setResponder((request): ScriptedTurn => {
      const output = lastToolResult(request);
      if (output === undefined) return { toolCalls: [{ name: "file_search", arguments: { query: "2023년 경제성장률 전망" } }] };
      const block = output.split(/(?=【\d+:\d+†)/).find((part) => part.includes("1.4%")) ?? "";
      return { text: `2023년 성장률은 **1.4%**로 전망됩니다${/【\d+:\d+†[^】]*】/.exec(block)?.[0] ?? "【missing】"}.` };
    });
    await send(page, "2023년 한국 경제성장률 전망은?");

    const reply = page.locator(".message-assistant").last();
    const sources = reply.getByRole("list", { name: "Sources" });
    await sources.waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);
    expect((await reply.locator(".markdown").textContent())?.trim()).toBe("2023년 성장률은 1.4%로 전망됩니다[1].");
    await expect.poll(() => sources.textContent(), WAIT).toBe("economy-report.pdf, p. 2");
    const search = page.locator(".tool-item").filter({ hasText: "file_search" });
    expect(await search.locator(".tool-queries").textContent()).toBe("“2023년 경제성장률 전망”");
    await expect.poll(() => search.locator(".search-results > li").count(), WAIT).toBeGreaterThan(0);
    expect(await search.locator(".result-file").first().textContent()).toBe("economy-report.pdf");
    const tools = upstream.chatRequests()[0]?.body.tools as { function: { name: string } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(["file_search"]);
    await shot(page, "responses-file-search");
  });

  it("uses an assistant as the prompt: its model and instructions", async () => {
    const client = spool.client();
    const assistant = await client.beta.assistants.create({ name: "요약 도우미", model: "gpt-4o", instructions: "Summarize in one line." });
    await page.goto(`${spool.url}/#/responses`);
    await page.reload();
    await openSetup(page);
    await page.getByLabel("File search").uncheck();
    await page.getByLabel("Assistant as prompt").selectOption({ label: "요약 도우미 (gpt-4o)" });
    await page.getByLabel("Model", { exact: true }).fill("");
    await page.getByLabel("Instructions").fill("");
    upstream.enqueue({ text: "한 줄 요약입니다." });
    await send(page, "Summarize Spool.");
    await page.getByText("한 줄 요약입니다.").waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);

    const request = upstream.chatRequests()[0];
    expect(request?.body.model).toBe("gpt-4o");
    expect(systemText(request)).toContain("Summarize in one line.");
    const conversationId = await conversationInUrl(page);
    const [response] = (await client.beta.threads.runs.list(conversationId)).data;
    expect((await client.responses.retrieve(response!.id)).prompt?.id).toBe(assistant.id);
  });

  it("stops a response: the stream ends and the response is cancelled", async () => {
    upstream.enqueue({ text: ["절반만 "], hang: true });
    await send(page, "길게 설명해 줘.");
    await page.locator(".message-assistant").last().getByText("절반만").waitFor(WAIT);
    await page.getByRole("button", { name: "Stop" }).click();
    await page.getByText("Response cancelled").waitFor(WAIT);
    const [response] = (await spool.client().beta.threads.runs.list(await conversationInUrl(page))).data;
    expect((await spool.client().responses.retrieve(response!.id)).status).toBe("cancelled");
    await page.getByRole("button", { name: "Send" }).waitFor(WAIT);
  });

  it("shows a conversation an SDK client created, with its items, and continues it", async () => {
    const client = spool.client();
    const conversation = await client.conversations.create({ metadata: { title: "SDK에서 만든 대화" } });
    upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "부산" } }] });
    const first = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "부산 날씨는?", tools: [{ type: "function", ...WEATHER_FUNCTION, strict: false }] });
    const call = first.output.find((item) => item.type === "function_call");
    upstream.enqueue({ text: "부산은 24°C, 흐림입니다." });
    await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: [{ type: "function_call_output", call_id: call?.type === "function_call" ? call.call_id : "", output: "24°C, cloudy" }] });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Threads", exact: true }).click();
    await page.getByRole("link", { name: "SDK에서 만든 대화" }).click();
    const items = page.locator(".thread-messages");
    await items.getByText("부산은 24°C, 흐림입니다.").waitFor(WAIT);
    expect(await page.getByRole("heading", { name: "Items" }).count()).toBe(1);
    expect(await items.locator(".message-user").textContent()).toContain("부산 날씨는?");
    expect(await items.locator(".tool-item").textContent()).toContain("function get_weather");
    expect(await items.locator(".tool-item .code-block").last().textContent()).toBe("24°C, cloudy");
    await expect.poll(() => page.locator(".thread-runs .item").count(), WAIT).toBe(2);
    await shot(page, "responses-thread");

    await page.getByRole("link", { name: "Continue in Responses" }).click();
    await page.getByText("부산은 24°C, 흐림입니다.").waitFor(WAIT);
    await openSetup(page);
    await page.getByLabel("Assistant as prompt").selectOption({ label: "(none)" });
    await page.getByLabel("Model", { exact: true }).fill("gpt-4o");
    upstream.enqueue({ text: "내일은 비가 옵니다." });
    await send(page, "내일은?");
    await page.getByText("내일은 비가 옵니다.").waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);
    const texts = (await client.conversations.items.list(conversation.id, { order: "asc" })).data.map((item) => item.type);
    expect(texts).toEqual(["message", "function_call", "function_call_output", "message", "message", "message"]);
  });

  it("streams a background response an SDK client started, when its conversation is opened mid-answer", async () => {
    const client = spool.client();
    const conversation = await client.conversations.create({ metadata: { title: "백그라운드 응답" } });
    upstream.enqueue({ text: ["첫 번째 문장. ", "두 번째 문장. ", "세 번째 문장."], chunkDelayMs: 2000 });
    const response = await client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "천천히 말해 줘.", background: true });
    await page.goto(`${spool.url}/#/responses/${conversation.id}`);
    const reply = page.locator(".message-assistant").last();
    // The second sentence arrives while the third is still to come: the page follows the stream, not a poll.
    await reply.getByText("두 번째 문장.").waitFor(WAIT);
    expect(await reply.textContent()).not.toContain("세 번째 문장.");
    await reply.getByText("세 번째 문장.").waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);
    expect((await client.responses.retrieve(response.id)).status).toBe("completed");
    await page.getByRole("button", { name: "Send" }).waitFor(WAIT);
  });

  it("waits for a foreground response an SDK client started, then shows the conversation as it ended", async () => {
    const client = spool.client();
    const conversation = await client.conversations.create();
    upstream.enqueue({ text: "늦게 도착한 답변입니다.", firstTokenDelayMs: 1500 });
    const pending = client.responses.create({ model: "gpt-4o", conversation: conversation.id, input: "기다려 줘." });
    await upstream.waitForChatRequests(1);
    await page.goto(`${spool.url}/#/responses/${conversation.id}`);
    await page.getByText("A response is in progress…").waitFor(WAIT);
    await page.locator(".message-assistant").getByText("늦게 도착한 답변입니다.").waitFor(WAIT);
    expect((await pending).status).toBe("completed");
    await page.getByRole("button", { name: "Send" }).waitFor(WAIT);
  });

  it("runs code with the code interpreter: its code, logs and chart, and a download of the file it wrote", async () => {
    await page.goto(`${spool.url}/#/responses`);
    await openSetup(page);
    await page.getByLabel("Assistant as prompt").selectOption({ label: "(none)" });
    await page.getByLabel("Model", { exact: true }).fill("gpt-4o");
    await page.getByLabel("Code interpreter").check();
    const code = [
      "import matplotlib.pyplot as plt",
      "months, sales = [1, 2, 3, 4], [10, 30, 20, 35]",
      "plt.bar(months, sales)",
      "plt.title('월별 매출')",
      "plt.show()",
      "with open('/mnt/data/summary.csv', 'w') as out:",
      "    out.write('month,sales\\n' + ''.join(f'{m},{s}\\n' for m, s in zip(months, sales)))",
      "print('total:', sum(sales))",
    ].join("\n");
    upstream.setResponder((request): ScriptedTurn =>
      lastToolResult(request) === undefined ? { toolCalls: [{ name: "code_interpreter", arguments: { code } }] } : { text: "Here is the chart. Download [the summary](sandbox:/mnt/data/summary.csv)." },
    );
    await send(page, "Plot monthly sales and give me a CSV.");

    const call = page.locator(".tool-item").filter({ hasText: "code_interpreter" });
    const chart = call.locator("img");
    await chart.waitFor(WAIT);
    await page.getByText(/^Response completed/).waitFor(WAIT);
    await expect.poll(() => chart.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 100), WAIT).toBe(true);
    expect(await call.getByLabel("Code").textContent()).toContain("plt.title('월별 매출')");
    expect(await call.locator(".logs").textContent()).toBe("total: 95\n");
    await shot(page, "responses-code-interpreter");

    const reply = page.locator(".message-assistant").last();
    const [download] = await Promise.all([page.waitForEvent("download", WAIT), reply.getByRole("link", { name: "the summary" }).click()]);
    expect(download.suggestedFilename()).toBe("summary.csv");
    expect(readFileSync(await download.path(), "utf8")).toBe("month,sales\n1,10\n2,30\n3,20\n4,35\n");
    const tools = upstream.chatRequests()[0]?.body.tools as { function: { name: string } }[];
    expect(tools.map((tool) => tool.function.name)).toEqual(["code_interpreter"]);
  });

  it("fits a narrow (390 px) window", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.reload();
      await page.locator(".message-assistant").first().waitFor(WAIT);
      await openSetup(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
