/**
 * Browser tests of the playground UI against a real Spool server (which serves the UI at `/`) and a
 * scripted upstream model.
 *
 * Needs Chromium: `npm run setup:system` installs Debian's at /usr/bin/chromium (override with
 * SPOOL_CHROMIUM). Without it the suite fails. Builds ui/dist first if it is missing or stale.
 * Set SPOOL_UI_SCREENSHOTS=docs/screenshots to (re)write the screenshots in the docs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeEconomyReportPdf } from "../fixtures/documents.js";
import { startScriptedUpstream, type RecordedRequest, type ScriptedTurn, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { ensureUiBuilt, launchChromium } from "./browser.js";

const screenshotDir = process.env.SPOOL_UI_SCREENSHOTS ? path.resolve(process.env.SPOOL_UI_SCREENSHOTS) : undefined;
const WAIT = { timeout: 15_000 };

type Spool = Awaited<ReturnType<typeof startSpool>>;

/** Collects console errors, uncaught exceptions and failed requests of a page. */
function watchErrors(page: Page, ignore: RegExp[] = []): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !ignore.some((pattern) => pattern.test(message.text()))) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("response", (response) => {
    const line = `HTTP ${response.status()} ${response.request().method()} ${response.url()}`;
    if (response.status() >= 400 && !ignore.some((pattern) => pattern.test(line))) errors.push(line);
  });
  return errors;
}

function navLink(page: Page, name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? false });
}

/** The text the server sent back to the model as the latest tool result (undefined before any tool ran). */
function lastToolResult(request: RecordedRequest): string | undefined {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const last = messages.at(-1);
  if (last?.role !== "tool") return undefined;
  return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
}

const citationMarker = /【\d+:\d+†[^】]*】/g;

/** The model calls file_search once, then answers citing the first result whose text contains `needle`. */
function searchThenCite(upstream: ScriptedUpstream, query: string, needle: string, answer: (marker: string) => string): void {
  upstream.setResponder((request): ScriptedTurn => {
    const output = lastToolResult(request);
    if (output === undefined) return { toolCalls: [{ name: "file_search", arguments: { query } }] };
    const block = output.split(/(?=【\d+:\d+†)/).find((part) => part.startsWith("【") && part.includes(needle)) ?? "";
    return { text: answer(block.match(citationMarker)?.[0] ?? "【missing】") };
  });
}

/** The model runs `code` once with code_interpreter, then answers with `answer`. */
function runCodeThenAnswer(upstream: ScriptedUpstream, code: string, answer: string): void {
  upstream.setResponder((request): ScriptedTurn => (lastToolResult(request) === undefined ? { toolCalls: [{ name: "code_interpreter", arguments: { code } }] } : { text: answer }));
}

/** Creates an assistant with the editor; `tools` are the labels of the tool checkboxes to tick. */
async function createAssistantInEditor(page: Page, options: { name: string; instructions: string; tools: string[]; vectorStore?: string }): Promise<void> {
  await navLink(page, "Assistants").click();
  await page.getByRole("link", { name: "New assistant" }).click();
  await page.getByLabel("Name").fill(options.name);
  await page.getByLabel("Model").fill("gpt-4o");
  await page.getByLabel("Instructions").fill(options.instructions);
  for (const tool of options.tools) await page.getByLabel(tool, { exact: true }).check();
  if (options.vectorStore) await page.getByLabel("Vector store").selectOption({ label: options.vectorStore });
  await page.getByRole("button", { name: "Create assistant" }).click();
  await page.getByRole("link", { name: options.name }).waitFor(WAIT);
}

/** Opens Chat on a new thread with the named assistant and sends `text`. */
async function startChat(page: Page, assistantName: string, text: string): Promise<void> {
  await navLink(page, "Chat").click();
  const assistant = page.getByLabel("Assistant", { exact: true });
  await assistant.selectOption({ label: `${assistantName} (gpt-4o)` });
  const input = page.getByRole("textbox", { name: "Message" });
  await input.fill(text);
  await input.press("Enter");
}

describe("playground UI (browser)", () => {
  let upstream: ScriptedUpstream;
  let spool: Spool;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureUiBuilt();
    upstream = await startScriptedUpstream();
    // mkdtemp makes the dir 0700; when the tests run as root the code_interpreter sandbox runs code as
    // another uid, which must be able to pass through every parent of its scratch dirs.
    dataDir = mkdtempSync(path.join(os.tmpdir(), "spool-ui-test-"));
    chmodSync(dataDir, 0o711);
    spool = await startSpool({ upstreamUrl: upstream.url, dataDir });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", acceptDownloads: true });
    page = await context.newPage();
    errors = watchErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spool?.close();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const seen = errors.splice(0);
    expect(seen, "console errors and failed requests on the page").toEqual([]);
  });

  it("creates an assistant with a function tool, validating the JSON inline", async () => {
    await page.goto(`${spool.url}/#/assistants`);
    await page.getByText("No assistants yet").waitFor(WAIT);
    await page.getByRole("link", { name: "New assistant" }).click();
    await page.getByLabel("Name").fill("날씨 도우미");
    await page.getByLabel("Model").fill("gpt-4o-mini");
    await page.getByLabel("Instructions").fill("친절하게 한국어로 답하세요. Use get_weather for weather questions.");
    await page.getByRole("button", { name: "Add function" }).click();
    const schema = page.getByLabel("Function 1 (JSON)");
    await schema.fill('{ "name": "get_weather", ');
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Invalid JSON");
    await schema.fill(
      JSON.stringify({ name: "get_weather", description: "Current weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }, null, 2),
    );
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByLabel("Temperature").fill("0.3");
    await shot(page, "assistant-editor", { fullPage: true });
    await page.getByRole("button", { name: "Create assistant" }).click();
    await page.getByRole("link", { name: "날씨 도우미" }).waitFor(WAIT);
    await shot(page, "assistants");

    const assistants = await spool.client().beta.assistants.list();
    const created = assistants.data[0];
    expect(created?.name).toBe("날씨 도우미");
    expect(created?.temperature).toBeCloseTo(0.3);
    expect(created?.tools).toEqual([expect.objectContaining({ type: "function", function: expect.objectContaining({ name: "get_weather" }) })]);
  });

  it("streams an answer token by token and renders Markdown", async () => {
    upstream.enqueue({ text: ["안녕하세요! ", "저는 ", "**Spool** ", "데모 ", "입니다."], chunkDelayMs: 250 });
    await navLink(page, "Chat").click();
    const assistant = page.getByLabel("Assistant", { exact: true });
    await expect.poll(() => assistant.inputValue(), WAIT).toMatch(/^asst_/);
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("안녕?");
    await input.press("Enter");

    const reply = page.locator(".message-assistant").last();
    await reply.getByText("안녕하세요!").waitFor(WAIT);
    // The first tokens are on screen while the rest is still streaming.
    expect(await reply.textContent()).not.toContain("입니다.");
    await reply.getByText("입니다.").waitFor(WAIT);
    expect(await reply.locator("strong").textContent()).toBe("Spool");
    await page.getByText("Run completed").waitFor(WAIT);
    expect(await page.locator(".message-user").last().textContent()).toContain("안녕?");
  });

  it("answers a function call by hand through the tool-output form", async () => {
    upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "서울" } }] }, { text: "서울은 지금 21°C, 맑음입니다." });
    const input = page.getByRole("textbox", { name: "Message" });
    await input.fill("What's the weather in Seoul?");
    await input.press("Shift+Enter");
    await input.pressSequentially("Please check.");
    expect(await input.inputValue()).toBe("What's the weather in Seoul?\nPlease check.");
    await input.press("Enter");

    const form = page.getByRole("form", { name: "Submit tool outputs" });
    await form.waitFor(WAIT);
    expect(await form.getByLabel("Arguments of get_weather").textContent()).toContain('"city": "서울"');
    await form.getByLabel("Output of get_weather").fill('{"temperature_c":21,"sky":"clear"}');
    await shot(page, "chat-function-call");
    await form.getByRole("button", { name: "Submit tool output" }).click();

    await page.getByText("서울은 지금 21°C, 맑음입니다.").waitFor(WAIT);
    await page.getByText("Run completed").waitFor(WAIT);
    await shot(page, "chat");
    const lastRequest = upstream.chatRequests().at(-1);
    expect(JSON.stringify(lastRequest?.body.messages)).toContain("temperature_c");
  });

  it("inspects the run: steps in order with function arguments, output, status and usage", async () => {
    const steps = await inspectRun(page, 2);
    await page.getByRole("heading", { name: "Run" }).waitFor(WAIT);
    expect(await steps.nth(0).textContent()).toContain("function get_weather");
    expect(await steps.nth(0).textContent()).toContain('"temperature_c":21');
    expect(await steps.nth(1).textContent()).toContain("Message");
    expect(await page.locator(".facts").first().textContent()).toMatch(/completed/);
    expect(await page.locator(".facts").first().textContent()).toMatch(/tokens/);
    await shot(page, "run-inspector", { fullPage: true });
  });

  it("lists threads and opens one with its messages and runs", async () => {
    await navLink(page, "Threads").click();
    const item = page.locator(".card-list .item").first();
    await item.waitFor(WAIT);
    await shot(page, "threads");
    await item.locator(".item-title").click();
    await page.getByRole("heading", { name: "Messages" }).waitFor(WAIT);
    await expect.poll(() => page.locator(".thread-runs .item").count(), WAIT).toBe(2);
    expect(await page.locator(".thread-messages").textContent()).toContain("서울은 지금 21°C");
    await shot(page, "thread");
  });

  it("uploads files and ingests them into a vector store, by picking an upload and by dropping a new file", async () => {
    await navLink(page, "Files").click();
    await page.locator('input[type="file"]').setInputFiles({
      name: "제품-설명서.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("# Spool 설명서\n\nSpool은 OpenAI Assistants API 호환 서버입니다. 설치는 npm ci 로 합니다.\n"),
    });
    await page.getByRole("cell", { name: "제품-설명서.md", exact: true }).waitFor(WAIT);

    await navLink(page, "Vector stores").click();
    await page.getByLabel("New vector store").fill("설명서 모음");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("link", { name: "설명서 모음" }).click();
    await page.getByLabel("Add an uploaded file").selectOption({ label: await optionLabel(page, "제품-설명서.md") });
    await page.getByRole("button", { name: "Add file" }).click();
    // The drop zone's file picker uploads and attaches in one go.
    await page.getByLabel("Choose files to upload").setInputFiles({ name: "economy-report.pdf", mimeType: "application/pdf", buffer: Buffer.from(await makeEconomyReportPdf()) });
    const rows = page.locator("tbody tr");
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    await page.getByRole("cell", { name: "economy-report.pdf", exact: true }).waitFor(WAIT);
    await expect.poll(() => page.locator("tbody .status-completed").count(), { timeout: 30_000 }).toBe(2);
    await shot(page, "vector-store");
    await navLink(page, "Files").click();
    await page.getByRole("cell", { name: "economy-report.pdf", exact: true }).waitFor(WAIT);
    await shot(page, "files");
  });

  it("answers with file_search and shows a footnote naming the cited file and page", async () => {
    await createAssistantInEditor(page, { name: "보고서 도우미", instructions: "Answer from the reports and cite them.", tools: ["File search"], vectorStore: "설명서 모음" });
    searchThenCite(upstream, "2023년 경제성장률 전망", "1.4%", (marker) => `2023년 성장률은 **1.4%**로 전망됩니다${marker}. 물가 상승률은 3.5% 수준입니다.`);
    await startChat(page, "보고서 도우미", "2023년 한국 경제성장률 전망은?");

    const reply = page.locator(".message-assistant").last();
    const sources = reply.getByRole("list", { name: "Sources" });
    await sources.waitFor(WAIT);
    await page.getByText("Run completed").waitFor(WAIT);
    expect((await reply.locator(".markdown").textContent())?.trim()).toBe("2023년 성장률은 1.4%로 전망됩니다[1]. 물가 상승률은 3.5% 수준입니다.");
    expect(await reply.locator(".markdown strong").textContent()).toBe("1.4%");
    expect(await reply.locator("sup.cite").textContent()).toBe("[1]");
    await expect.poll(() => sources.textContent(), WAIT).toBe("economy-report.pdf, p. 2");
    await shot(page, "chat-citations");
    // The marker the model saw carried the page, and that is what the footnote shows.
    expect(lastToolResult(upstream.chatRequests().at(-1)!)).toMatch(/【0:\d+†economy-report\.pdf†p\.2】/);
  });

  it("inspects a file_search step with its results", async () => {
    const steps = await inspectRun(page, 2);
    const search = steps.nth(0);
    expect(await search.locator(".tool-call-head").textContent()).toContain("file_search");
    const results = search.locator(".search-results > li");
    await expect.poll(() => results.count(), WAIT).toBeGreaterThan(0);
    const first = results.first();
    expect(await first.locator(".result-file").textContent()).toBe("economy-report.pdf");
    expect(await first.textContent()).toMatch(/score \d\.\d{3}/);
    // The result text comes with the steps (include[]=…results[*].content).
    expect(await first.locator("blockquote").first().textContent()).toContain("1.4%");
    expect(await steps.nth(1).textContent()).toContain("Message");
    await shot(page, "run-inspector-file-search", { fullPage: true });
  });

  it("shows a code_interpreter chart inline and downloads the file it links", async () => {
    await createAssistantInEditor(page, { name: "데이터 분석가", instructions: "Analyse data with Python.", tools: ["Code interpreter"] });
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
    runCodeThenAnswer(upstream, code, "Here is the chart. Download [the summary](sandbox:/mnt/data/summary.csv).");
    await startChat(page, "데이터 분석가", "Plot monthly sales and give me a CSV.");

    const reply = page.locator(".message-assistant").last();
    const chart = reply.locator("img");
    await chart.waitFor(WAIT);
    await page.getByText("Run completed").waitFor(WAIT);
    await expect.poll(() => chart.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 100), WAIT).toBe(true);
    // The chat follows the answer as the chart loads: the run status under it is on screen, above the composer.
    const inspectLink = page.getByRole("link", { name: "Inspect run" });
    const composerTop = () => page.locator(".composer").evaluate((composer) => composer.getBoundingClientRect().top);
    await expect.poll(async () => (await inspectLink.evaluate((link) => link.getBoundingClientRect().bottom)) <= (await composerTop()), WAIT).toBe(true);
    await shot(page, "chat-code-interpreter");

    const [download] = await Promise.all([page.waitForEvent("download", WAIT), reply.getByRole("link", { name: "the summary" }).click()]);
    expect(download.suggestedFilename()).toBe("summary.csv");
    expect(readFileSync(await download.path(), "utf8")).toBe("month,sales\n1,10\n2,30\n3,20\n4,35\n");
  });

  it("inspects a code_interpreter step: the code, its logs and its image", async () => {
    const steps = await inspectRun(page, 2);
    const codeStep = steps.nth(0);
    expect(await codeStep.locator(".tool-call-head").textContent()).toContain("code_interpreter");
    expect(await codeStep.getByLabel("Code").textContent()).toContain("plt.title('월별 매출')");
    expect(await codeStep.locator(".logs").textContent()).toBe("total: 95\n");
    await codeStep.locator("img").waitFor(WAIT);
    await shot(page, "run-inspector-code-interpreter", { fullPage: true });
    upstream.reset();
  });

  it("works in a narrow (390 px) window", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await navLink(page, "Chat").click();
      // Reopen the most recent thread from the picker (threads this browser started): the chart one.
      await page.getByLabel("Thread").selectOption({ index: 1 });
      await page.locator(".message-assistant img").waitFor(WAIT);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, "chat-narrow");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("follows a run another client started when its thread is opened from the Threads screen", async () => {
    const client = spool.client();
    const weather = (await client.beta.assistants.list()).data.find((assistant) => assistant.name === "날씨 도우미")!;
    const thread = await client.beta.threads.create({ metadata: { title: "다른 창의 스레드" }, messages: [{ role: "user", content: "다른 창에서 보낸 질문" }] });
    upstream.enqueue({ text: "다른 창의 답변이 도착했습니다.", firstTokenDelayMs: 2000 });
    const run = await client.beta.threads.runs.create(thread.id, { assistant_id: weather.id });

    await navLink(page, "Threads").click();
    await page.getByRole("link", { name: "다른 창의 스레드" }).click();
    const runStatus = page.locator(".thread-runs .item").filter({ hasText: run.id }).locator(".status");
    // Opened while the run is still going: the screen shows that, then the answer arrives on its own.
    await expect.poll(() => runStatus.textContent(), WAIT).toMatch(/^(queued|in_progress)$/);
    expect(await page.locator(".thread-messages").textContent()).not.toContain("다른 창의 답변");
    await page.locator(".thread-messages").getByText("다른 창의 답변이 도착했습니다.").waitFor(WAIT);
    await expect.poll(() => runStatus.textContent(), WAIT).toBe("completed");
  });

  it("follows a run in progress after the chat page is reloaded, up to the tool-output form", async () => {
    const client = spool.client();
    const weather = (await client.beta.assistants.list()).data.find((assistant) => assistant.name === "날씨 도우미")!;
    const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "What's the weather in Busan?" }] });
    upstream.enqueue({ toolCalls: [{ name: "get_weather", arguments: { city: "부산" } }], firstTokenDelayMs: 2000 }, { text: "부산은 지금 24°C, 흐림입니다." });
    await client.beta.threads.runs.create(thread.id, { assistant_id: weather.id });

    await page.goto(`${spool.url}/#/chat/${thread.id}`);
    await page.reload();
    await page.getByText("Running…").waitFor(WAIT);
    // No user action: the chat notices the run now waits for a tool output and offers the form.
    const form = page.getByRole("form", { name: "Submit tool outputs" });
    await form.waitFor(WAIT);
    expect(await form.getByLabel("Arguments of get_weather").textContent()).toContain('"city": "부산"');
    await form.getByLabel("Output of get_weather").fill('{"temperature_c":24,"sky":"cloudy"}');
    await form.getByRole("button", { name: "Submit tool output" }).click();
    await page.getByText("부산은 지금 24°C, 흐림입니다.").waitFor(WAIT);
    await page.getByText("Run completed").waitFor(WAIT);
    expect(upstream.pendingTurns()).toBe(0);
  });

  it("shows the API's error message when the API key is wrong", async () => {
    const guarded = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_API_KEYS: "sk-right-key-123456" } });
    const guardedPage = await context.newPage();
    const pageErrors = watchErrors(guardedPage, [/Failed to load resource: the server responded with a status of 401/, /^HTTP 401 GET /]);
    try {
      await guardedPage.goto(`${guarded.url}/#/settings`);
      await guardedPage.getByLabel("API key").fill("sk-wrong-key-000000");
      await guardedPage.getByRole("button", { name: "Save" }).click();
      await navLink(guardedPage, "Assistants").click();
      const alert = guardedPage.getByRole("alert");
      await alert.waitFor(WAIT);
      expect(await alert.textContent()).toContain("Incorrect API key provided");
      expect(await alert.textContent()).toContain("401");
      await shot(guardedPage, "error-bad-api-key");

      await navLink(guardedPage, "Settings").click();
      await guardedPage.getByLabel("API key").fill("sk-right-key-123456");
      await guardedPage.getByRole("button", { name: "Test connection" }).click();
      await guardedPage.getByText("Connected").waitFor(WAIT);
      await shot(guardedPage, "settings");
      await navLink(guardedPage, "Assistants").click();
      await guardedPage.getByText("No assistants yet").waitFor(WAIT);
      expect(pageErrors).toEqual([]);
    } finally {
      await guardedPage.close();
      await guarded.close();
    }
  });
});

/** Follows the chat's "Inspect run" link and waits until the run inspector lists `stepCount` steps. */
async function inspectRun(page: Page, stepCount: number) {
  await page.getByRole("link", { name: "Inspect run" }).click();
  const steps = page.locator(".step");
  await expect.poll(() => steps.count(), WAIT).toBe(stepCount);
  return steps;
}

/** The label of the picker option for `filename`, once the uploaded files have loaded into the picker. */
async function optionLabel(page: Page, filename: string): Promise<string> {
  const options = page.getByLabel("Add an uploaded file").locator("option");
  let labels: string[] = [];
  await expect
    .poll(async () => {
      labels = await options.allTextContents();
      return labels.some((text) => text.startsWith(filename));
    }, { ...WAIT, message: `an option for ${filename} in the "Add an uploaded file" picker` })
    .toBe(true);
  return labels.find((text) => text.startsWith(filename)) ?? filename;
}
