import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, settings } from "./config.js";

describe("config", () => {
  it("works with no configuration at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: "127.0.0.1", port: 8080, upstreamUrl: "https://api.openai.com/v1", apiKeys: [], modelMap: {} });
    expect(config.dataDir.endsWith("/data")).toBe(true);
  });

  it("parses keys and the model map in both spellings", () => {
    expect(loadConfig({ SPOOL_API_KEYS: "a, b,,c" }).apiKeys).toEqual(["a", "b", "c"]);
    expect(loadConfig({ SPOOL_MODEL_MAP: "gpt-4o=llama3.1:8b, gpt-4-turbo-preview=qwen2.5" }).modelMap).toEqual({
      "gpt-4o": "llama3.1:8b",
      "gpt-4-turbo-preview": "qwen2.5",
    });
    expect(loadConfig({ SPOOL_MODEL_MAP: '{"gpt-4o":"x"}' }).modelMap).toEqual({ "gpt-4o": "x" });
  });

  it("fails fast naming the variable", () => {
    expect(() => loadConfig({ SPOOL_PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ SPOOL_PORT: "eighty" })).toThrow(/SPOOL_PORT/);
    expect(() => loadConfig({ SPOOL_MODEL_MAP: "nonsense" })).toThrow(/SPOOL_MODEL_MAP/);
  });

  it("documents every setting in the README", () => {
    const readme = fs.readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const missing = Object.values(settings).filter((setting) => !readme.includes(`\`${setting.env}\``));
    expect(missing.map((setting) => setting.env)).toEqual([]);
  });
});
