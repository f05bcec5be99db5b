import fs from "node:fs";

/** The package's version: package.json is two levels up both from src/cli/ and from dist/cli/. */
export function spoolVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}
