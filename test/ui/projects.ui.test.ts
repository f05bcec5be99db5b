/**
 * The Projects screen in Chromium against a real Spool server with an admin key: create a project, make a
 * key for it (shown once) that an SDK client then uses, delete the key, rename and archive the project.
 * Set SPOOL_UI_SCREENSHOTS=docs/screenshots to (re)write its screenshot in the docs.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { startSpool, type StartedSpool } from "../../src/testing/start-spool.js";
import { ensureUiBuilt, launchChromium } from "./browser.js";

const adminKey = "admin-key-for-the-projects-screen";
/** A key of the default project, so that the server checks keys. */
const defaultKey = "sk-default-project-key-0001";
const screenshotDir = process.env.SPOOL_UI_SCREENSHOTS ? path.resolve(process.env.SPOOL_UI_SCREENSHOTS) : undefined;
const WAIT = { timeout: 15_000 };

describe("Projects screen (browser)", () => {
  let upstream: ScriptedUpstream;
  let spool: StartedSpool;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  /** GETs an Administration API path with the admin key. */
  async function admin<T>(pathname: string): Promise<T> {
    const response = await fetch(`${spool.url}/v1/organization/projects${pathname}`, { headers: { Authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureUiBuilt();
    upstream = await startScriptedUpstream();
    spool = await startSpool({ upstreamUrl: upstream.url, env: { SPOOL_ADMIN_KEY: adminKey, SPOOL_API_KEYS: defaultKey } });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    page.on("pageerror", (error) => problems.push(error.message));
    // Deleting asks for confirmation first.
    page.on("dialog", (dialog) => void dialog.accept());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spool?.close();
    await upstream?.close();
  });

  it("creates a project and a key the SDK then uses, deletes the key, renames and archives the project", async () => {
    await page.goto(`${spool.url}/#/projects`);
    await page.getByText("Projects and their keys are managed with the server's admin key").waitFor(WAIT);
    await page.getByRole("textbox", { name: "Admin key" }).fill(adminKey);
    await page.getByRole("button", { name: "Manage projects" }).click();
    await page.getByLabel("New project").fill("고객지원 봇");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("link", { name: "고객지원 봇" }).click();

    await page.getByLabel("New key for").fill("web-app");
    await page.getByRole("button", { name: "Create key" }).click();
    const notice = page.getByRole("status", { name: "New API key" });
    const value = (await notice.locator(".key-value").textContent()) ?? "";
    expect(value.length).toBeGreaterThan(20);
    const keys = page.getByRole("table", { name: "Keys" }).locator("tbody tr");
    await expect.poll(() => keys.count(), WAIT).toBe(1);
    const row = await keys.first().locator("td").allTextContents();
    // Name, redacted key (never the value), owner.
    expect(row[1]).not.toContain(value);
    expect(row[1]?.length).toBeGreaterThan(0);
    expect(row[2]).toBe("web-app");
    if (screenshotDir) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, "project.png"), fullPage: true });
    }
    await notice.getByRole("button", { name: "Done" }).click();
    expect(await page.locator(".key-value").count()).toBe(0);

    // The key works, in its project only.
    const projectId = /#\/projects\/([^/?]+)/.exec(page.url())?.[1] ?? "";
    await spool.client({ apiKey: defaultKey }).beta.assistants.create({ model: "gpt-4o", name: "default project assistant" });
    const client = spool.client({ apiKey: value });
    const assistant = await client.beta.assistants.create({ model: "gpt-4o", name: "web-app assistant" });
    expect((await client.beta.assistants.list()).data.map((a) => a.id)).toEqual([assistant.id]);

    await keys.first().getByRole("button", { name: "Delete" }).click();
    await page.getByText("No keys yet.").waitFor(WAIT);
    await expect(client.beta.assistants.list()).rejects.toMatchObject({ status: 401 });

    await page.getByLabel("Name", { exact: true }).fill("고객지원 봇 (운영)");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByRole("heading", { name: /고객지원 봇 \(운영\)/ }).waitFor(WAIT);
    expect((await admin<{ name: string }>(`/${projectId}`)).name).toBe("고객지원 봇 (운영)");

    await page.getByRole("button", { name: "Archive" }).click();
    await page.locator(".status-archived").first().waitFor(WAIT);
    expect((await admin<{ status: string }>(`/${projectId}`)).status).toBe("archived");
    await page.getByRole("link", { name: "← Projects" }).click();
    await page.getByText("No projects yet.").or(page.locator(".card-list")).first().waitFor(WAIT);
    expect(await page.getByRole("link", { name: "고객지원 봇 (운영)" }).count()).toBe(0);
    await page.getByLabel("Show archived").check();
    await page.getByRole("link", { name: "고객지원 봇 (운영)" }).waitFor(WAIT);

    // The default project (SPOOL_API_KEYS) cannot be renamed or archived: the screen offers neither.
    await page.goto(`${spool.url}/#/projects/proj_default`);
    await page.getByText("the default project (SPOOL_API_KEYS)").waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Archive" }).count()).toBe(0);
    expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);

    expect(await page.evaluate(() => window.localStorage.getItem("spool.adminKey"))).toBeNull();
    expect(problems).toEqual([]);
  });
});
