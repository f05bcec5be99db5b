/**
 * Browser tests of the playground UI against a real Spool server and a scripted upstream model.
 *
 * Needs Chromium (`npm run setup:system` installs Debian's at /usr/bin/chromium; override with
 * SPOOL_CHROMIUM); the suite is skipped when it is missing. Builds ui/dist first if absent.
 * Set SPOOL_UI_SCREENSHOTS=docs/screenshots to (re)write the screenshots in the docs.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { resolveUiDistDir, serveUi } from "../../src/ui/serve-ui.js";

const chromiumPath = process.env.SPOOL_CHROMIUM ?? "/usr/bin/chromium";
const screenshotDir = process.env.SPOOL_UI_SCREENSHOTS ? path.resolve(process.env.SPOOL_UI_SCREENSHOTS) : undefined;
const distDir = resolveUiDistDir();
const WAIT = { timeout: 15_000 };

type Spool = Awaited<ReturnType<typeof startSpool>>;

interface UiHost {
  url: string;
  close(): Promise<void>;
}

const uiDir = fileURLToPath(new URL("../../ui/", import.meta.url));

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

/** Builds ui/dist when it is missing or older than the UI sources. */
async function ensureUiBuilt(): Promise<void> {
  const index = path.join(distDir, "index.html");
  const sources = ["src", "index.html", "vite.config.ts"].map((entry) => newestMtime(path.join(uiDir, entry)));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return;
  const { build } = await import("vite");
  await build({ configFile: path.join(uiDir, "vite.config.ts"), logLevel: "warn" });
}

/**
 * The URL where the UI and the API share an origin: Spool itself when it serves the UI, otherwise
 * a small front server (serveUi + a streaming pass-through of /v1 to Spool).
 */
async function uiHostFor(spool: Spool): Promise<UiHost> {
  const probe = await fetch(`${spool.url}/`);
  if (probe.ok && (await probe.text()).includes('id="root"')) return { url: spool.url, close: async () => undefined };

  const app = new Hono();
  app.all("/v1/*", async (context) => {
    const incoming = new URL(context.req.url);
    const headers = new Headers(context.req.raw.headers);
    headers.delete("host");
    const hasBody = !["GET", "HEAD"].includes(context.req.method);
    const response = await fetch(`${spool.url}${incoming.pathname}${incoming.search}`, {
      method: context.req.method,
      headers,
      body: hasBody ? await context.req.arrayBuffer() : undefined,
    });
    const outgoing = new Headers(response.headers);
    outgoing.delete("content-encoding");
    outgoing.delete("content-length");
    return new Response(response.body, { status: response.status, headers: outgoing });
  });
  app.use("*", serveUi(distDir));
  const server = await new Promise<ServerType>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Collects console errors and uncaught exceptions of a page. */
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

async function supports(spool: Spool, apiPath: string): Promise<boolean> {
  const response = await fetch(`${spool.url}/v1${apiPath}`, { headers: { "OpenAI-Beta": "assistants=v2" } });
  return response.ok;
}

describe.skipIf(!existsSync(chromiumPath))("playground UI (browser)", () => {
  let upstream: ScriptedUpstream;
  let spool: Spool;
  let host: UiHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    await ensureUiBuilt();
    upstream = await startScriptedUpstream();
    spool = await startSpool({ upstreamUrl: upstream.url });
    host = await uiHostFor(spool);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    page = await context.newPage();
    errors = watchErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await spool?.close();
    await upstream?.close();
  });

  afterEach(() => {
    const seen = errors.splice(0);
    expect(seen, "console errors and failed requests on the page").toEqual([]);
  });

  it("creates an assistant with a function tool, validating the JSON inline", async () => {
    await page.goto(`${host.url}/#/assistants`);
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
    await page.getByRole("link", { name: "Inspect run" }).click();
    await page.getByRole("heading", { name: "Run" }).waitFor(WAIT);
    const steps = page.locator(".step");
    await expect.poll(() => steps.count(), WAIT).toBe(2);
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

  it("uploads a file and, when vector stores are supported, ingests it into one", async (testContext) => {
    if (!(await supports(spool, "/files"))) {
      testContext.skip("server has no /v1/files yet");
      return;
    }
    await page.goto(`${host.url}/#/files`);
    await page.locator('input[type="file"]').setInputFiles({
      name: "제품-설명서.md",
      mimeType: "text/markdown",
      buffer: Buffer.from("# Spool 설명서\n\nSpool은 OpenAI Assistants API 호환 서버입니다. 설치는 npm ci 로 합니다.\n"),
    });
    await page.getByRole("cell", { name: "제품-설명서.md", exact: true }).waitFor(WAIT);
    await shot(page, "files");

    if (!(await supports(spool, "/vector_stores"))) return;
    await navLink(page, "Vector stores").click();
    await page.getByLabel("New vector store").fill("설명서 모음");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("link", { name: "설명서 모음" }).click();
    await page.getByLabel("Add an uploaded file").selectOption({ label: await optionLabel(page, "제품-설명서.md") });
    await page.getByRole("button", { name: "Add file" }).click();
    await page.locator("tbody .status-completed").waitFor({ timeout: 30_000 });
    await shot(page, "vector-store");
  });

  it("works in a narrow (390 px) window", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await navLink(page, "Chat").click();
      // Reopen the most recent thread from the picker (threads this browser started).
      await page.getByLabel("Thread").selectOption({ index: 1 });
      await page.locator(".message-assistant").first().waitFor(WAIT);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, "chat-narrow");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("shows the API's error message when the API key is wrong", async () => {
    const guarded = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_API_KEYS: "sk-right-key-123456" } });
    const guardedHost = await uiHostFor(guarded);
    const guardedPage = await context.newPage();
    const pageErrors = watchErrors(guardedPage, [/Failed to load resource: the server responded with a status of 401/, /^HTTP 401 GET /]);
    try {
      await guardedPage.goto(`${guardedHost.url}/#/settings`);
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
      await guardedHost.close();
      await guarded.close();
    }
  });
});

async function optionLabel(page: Page, filename: string): Promise<string> {
  const labels = await page.getByLabel("Add an uploaded file").locator("option").allTextContents();
  const label = labels.find((text) => text.startsWith(filename));
  if (!label) throw new Error(`no option for ${filename} in ${JSON.stringify(labels)}`);
  return label;
}
