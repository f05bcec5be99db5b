/**
 * The usage dashboard in Chromium against a real Spool server with an admin key: runs per day by status,
 * tokens per model and run latency, drawn from `/v1/organization/usage`. Set SPOOL_UI_SCREENSHOTS=docs/screenshots
 * to (re)write its screenshot in the docs.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { ensureUiBuilt, launchChromium } from "./browser.js";

const adminKey = "admin-key-for-the-dashboard";
const screenshotDir = process.env.SPOOL_UI_SCREENSHOTS ? path.resolve(process.env.SPOOL_UI_SCREENSHOTS) : undefined;
const WAIT = { timeout: 15_000 };

describe("usage dashboard (browser)", () => {
  let upstream: ScriptedUpstream;
  let spool: StartedSpool;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureUiBuilt();
    upstream = await startScriptedUpstream();
    spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_ADMIN_KEY: adminKey, SPOOL_UPSTREAM_MAX_RETRIES: "0" } });
    const client = spool.client();
    const tutor = await client.beta.assistants.create({ model: "gpt-4o" });
    const helper = await client.beta.assistants.create({ model: "gpt-4o-mini" });
    upstream.enqueue(
      { text: "One.", usage: { promptTokens: 1200, completionTokens: 300 } },
      { text: "Two.", usage: { promptTokens: 800, completionTokens: 500 } },
      { text: "Three.", usage: { promptTokens: 400, completionTokens: 100 } },
      { error: { status: 400, message: "bad prompt" } },
    );
    for (const assistantId of [tutor.id, tutor.id, helper.id, helper.id]) {
      await client.beta.threads.createAndRunPoll({ assistant_id: assistantId, thread: { messages: [{ role: "user", content: "Hi" }] } }, { pollIntervalMs: 20 });
    }
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })).newPage();
    page.on("pageerror", (error) => problems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spool?.close();
    await upstream?.close();
  });

  it("asks for the admin key, then charts runs by status, tokens per model and latency", async () => {
    await page.goto(`${spool.url}/#/usage`);
    await page.getByText("Usage is read with the server's admin key").waitFor(WAIT);
    await page.getByRole("textbox", { name: "Admin key" }).fill(adminKey);
    await page.getByRole("button", { name: "Show usage" }).click();

    const runs = page.getByRole("figure", { name: "Runs per day by status" });
    await runs.waitFor(WAIT);
    await expect.poll(() => runs.locator("rect").count()).toBe(2);
    const runBars = await runs.locator("rect title").allTextContents();
    expect(runBars.some((title) => title.endsWith("completed: 3"))).toBe(true);
    expect(runBars.some((title) => title.endsWith("failed: 1"))).toBe(true);
    expect(await runs.locator(".chart-legend li").allTextContents()).toEqual(["completed", "failed"]);

    const tokens = page.getByRole("figure", { name: "Tokens per model" });
    expect((await tokens.locator("rect title").allTextContents()).sort()).toEqual([
      "gpt-4o · input tokens: 2,000",
      "gpt-4o · output tokens: 800",
      "gpt-4o-mini · input tokens: 400",
      "gpt-4o-mini · output tokens: 100",
    ]);

    const latency = page.getByRole("figure", { name: "Run latency of completed runs (creation to end)" });
    expect(await latency.locator("rect").count()).toBe(2);
    // The admin key lasts for this tab only: never written to localStorage, gone in a new tab.
    expect(await page.evaluate(() => [window.sessionStorage.getItem("spool.adminKey"), window.localStorage.getItem("spool.adminKey")])).toEqual([adminKey, null]);
    const otherTab = await page.context().newPage();
    await otherTab.goto(`${spool.url}/#/usage`);
    await otherTab.getByText("Usage is read with the server's admin key").waitFor(WAIT);
    await otherTab.close();
    expect(problems).toEqual([]);

    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, "usage.png"), fullPage: true });
    }
  });
});
