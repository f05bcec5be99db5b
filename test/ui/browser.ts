import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { resolveUiDistDir } from "../../src/ui/serve-ui.js";

const chromiumPath = process.env.SPOOL_CHROMIUM ?? "/usr/bin/chromium";
const uiDir = fileURLToPath(new URL("../../ui/", import.meta.url));

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

/** Builds ui/dist when it is missing or older than the UI sources. */
export async function ensureUiBuilt(): Promise<void> {
  const index = path.join(resolveUiDistDir(), "index.html");
  const sources = ["src", "index.html", "vite.config.ts"].map((entry) => newestMtime(path.join(uiDir, entry)));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return;
  const { build } = await import("vite");
  await build({ configFile: path.join(uiDir, "vite.config.ts"), logLevel: "warn" });
}

/** Debian's Chromium (or SPOOL_CHROMIUM), headless. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium was not found at ${chromiumPath}. The browser tests need it: run \`npm run setup:system\` ` +
        "(installs Debian's chromium) or set SPOOL_CHROMIUM to a Chromium/Chrome executable.",
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}
