import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixtureIds, threadRecord, writeFixtureExport, writeJsonFile } from "../testing/assistants-export-fixture.js";
import { freePort } from "../testing/free-port.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../testing/scripted-upstream.js";
import { runSpoolCommand, startSpoolCommand } from "../testing/spool-command.js";

// Each test starts the command several times as its own process from source (tsx); on a loaded two-core
// machine one start alone takes seconds, so the file's tests get more than the suite's 30 s.
vi.setConfig({ testTimeout: 90_000 });

const temporary = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const dataDir = () => ({ SPOOL_DATA_DIR: temporary("spool-data-") });

let upstream: ScriptedUpstream;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

describe("spool --help and the command line", () => {
  it("lists the commands, and each command explains itself with --help", async () => {
    const top = await runSpoolCommand(["--help"]);
    expect(top.code).toBe(0);
    for (const name of ["serve", "import", "export", "doctor"]) expect(top.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    const helps = await Promise.all(["serve", "import", "export", "doctor"].map((name) => runSpoolCommand([name, "--help"])));
    for (const [index, name] of ["serve", "import", "export", "doctor"].entries()) {
      expect(helps[index]).toMatchObject({ code: 0, stderr: "" });
      expect(helps[index]?.stdout).toMatch(new RegExp(`^Usage: spool ${name}`));
      expect(helps[index]?.stdout).toContain("Exit status:");
    }
    expect(helps[0]?.stdout).toContain("SPOOL_DATABASE_URL");
  });

  it("exits 2 on a wrong command line or bad settings, naming what is wrong", async () => {
    const results = await Promise.all([
      runSpoolCommand([]),
      runSpoolCommand(["frobnicate"]),
      runSpoolCommand(["import"]),
      runSpoolCommand(["import", "/nonexistent/export"]),
      runSpoolCommand(["import", temporary("spool-export-"), "--bogus"]),
      runSpoolCommand(["export", temporary("spool-export-")]),
      runSpoolCommand(["export", temporary("spool-export-"), "--threads", "../etc"]),
      runSpoolCommand(["doctor"], { SPOOL_PORT: "eighty" }),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(results.map((result) => result.stderr.split("\n")[0])).toEqual([
      "",
      "spool: unknown command 'frobnicate'",
      "spool import: give exactly one export directory",
      "spool import: /nonexistent/export is not a directory",
      "spool import: Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--bogus\"",
      "spool export: say which threads: --threads thread_a,thread_b or --all",
      "spool export: '../etc' is not a thread id",
      expect.stringMatching(/^spool: SPOOL_PORT: /),
    ]);
    expect(results[0]?.stdout).toContain("Usage: spool <command>");
  });
});

describe("spool import and export exit status", () => {
  it("exits 0 on a clean import, and 3 when ids here hold other content, which --overwrite replaces (then 0)", async () => {
    const directory = temporary("spool-export-");
    writeFixtureExport(directory);
    const settings = dataDir();
    const first = await runSpoolCommand(["import", directory], settings);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("threads     2 added");
    expect(first.stderr).toContain("threads: 3/3");

    const record = threadRecord();
    (record.thread as Record<string, unknown>).metadata = { customer: "changed" };
    writeJsonFile(path.join(directory, "threads", `${fixtureIds.thread}.json`), record);
    const report = path.join(temporary("spool-report-"), "report.json");
    const conflict = await runSpoolCommand(["import", directory, "--report", report], settings);
    expect(conflict.code).toBe(3);
    expect(conflict.stdout).toContain(`thread ${fixtureIds.thread}`);
    expect(JSON.parse(fs.readFileSync(report, "utf8"))).toMatchObject({ conflicts: [{ kind: "thread", id: fixtureIds.thread }] });
    const dryRun = await runSpoolCommand(["import", directory, "--overwrite", "--dry-run"], settings);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^Dry run of importing .*: nothing was written\./);
    expect((await runSpoolCommand(["import", directory], settings)).code).toBe(3);
    expect((await runSpoolCommand(["import", directory, "--overwrite"], settings)).code).toBe(0);
    expect((await runSpoolCommand(["import", directory], settings)).code).toBe(0);
  });

  it("exits 1 with the file and field named when input is bad", async () => {
    const directory = temporary("spool-export-");
    writeFixtureExport(directory);
    writeJsonFile(path.join(directory, "manifest.json"), { export_schema: "assistants-export-manifest/v2" });
    const badManifest = await runSpoolCommand(["import", directory], dataDir());
    expect(badManifest.code).toBe(1);
    expect(badManifest.stderr).toContain('spool import: manifest.json: export_schema: Invalid input: expected "assistants-export-manifest/v1"\nNothing was imported.');

    writeFixtureExport(directory);
    fs.writeFileSync(path.join(directory, "threads", `${fixtureIds.thread}.json`), "{\"export_schema\": \"assistants-thread-export/v1\", \"messa");
    const truncated = await runSpoolCommand(["import", directory], dataDir());
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toContain(`threads/${fixtureIds.thread}.json: not valid JSON (`);
    expect(truncated.stdout).toContain("threads     1 added");
  });

  it("exports requested threads, and exits 1 naming the ones that are not here", async () => {
    const directory = temporary("spool-export-");
    writeFixtureExport(directory);
    const settings = dataDir();
    expect((await runSpoolCommand(["import", directory], settings)).code).toBe(0);
    const out = temporary("spool-out-");
    const result = await runSpoolCommand(["export", out, "--threads", `${fixtureIds.thread},thread_unknown`], settings);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Not exported: thread_unknown (not_found_or_deleted)");
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")) as Record<string, unknown>;
    expect(manifest).toMatchObject({ threads_exported: 1, threads_failed: [{ thread_id: "thread_unknown", error: "not_found_or_deleted" }] });
    const again = await runSpoolCommand(["export", out, "--all"], settings);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
  });
});

describe("spool doctor", () => {
  it("passes every check on a machine set up for Spool", async () => {
    const result = await runSpoolCommand(["doctor"], { ...dataDir(), SPOOL_UPSTREAM_URL: upstream.url });
    expect(result.stdout).toContain("Every check passed.");
    expect(result.code).toBe(0);
    for (const name of ["bubblewrap", "python", "fonts", "database", "upstream"]) expect(result.stdout).toMatch(new RegExp(`^  ok {4}${name} `, "m"));
  });

  it("says what is missing and how to fix it, and exits 1: no bwrap on PATH, an upstream nobody listens on", async () => {
    const closedPort = await freePort();
    const result = await runSpoolCommand(["doctor"], { ...dataDir(), PATH: temporary("spool-empty-path-"), SPOOL_UPSTREAM_URL: `http://127.0.0.1:${closedPort}/v1` }, { replaceEnv: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}FAIL {2}bubblewrap {2}not found on PATH: bwrap, prlimit, setpriv; runs with code_interpreter fail\n +fix: sudo apt-get install bubblewrap/m);
    expect(result.stdout).toMatch(new RegExp(`^ {2}FAIL {2}upstream {4}cannot reach http://127\\.0\\.0\\.1:${closedPort}/v1: .*ECONNREFUSED.*\\n +fix: set SPOOL_UPSTREAM_URL`, "m"));
    expect(result.stdout).toMatch(/^ {2}ok {4}database {4}SQLite: no database yet/m);
    expect(result.stdout).toMatch(/^ {2}ok {4}python /m);
    expect(result.stdout).toContain("2 of 5 checks failed.");
  });
});

describe("spool serve", () => {
  it("runs the server until SIGTERM, as npm start does", async () => {
    const port = await freePort();
    const command = startSpoolCommand(["serve"], { ...dataDir(), SPOOL_PORT: String(port), SPOOL_UPSTREAM_URL: upstream.url });
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.status, () => 0), { timeout: 20_000 }).toBe(200);
    command.process.kill("SIGTERM");
    expect((await command.finished).code).toBe(0);
  });
});
