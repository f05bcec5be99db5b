import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config/config.js";
import { CJK_FONTS } from "../sandbox/bubblewrap/bubblewrap-session.js";
import { PYTHON_PATH } from "../sandbox/bubblewrap/sandbox-command.js";
import { redactedUrl } from "./open-storage.js";

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

const timeoutMs = 10_000;
const setupHint = "or, on Debian/Ubuntu, `sudo npm run setup:system` installs everything";

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(program, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((directory) => {
    try {
      fs.accessSync(path.join(directory, program), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The code interpreter's sandbox: bwrap, prlimit and setpriv on PATH, and bwrap able to build namespaces here. */
export async function checkBubblewrap(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = "bubblewrap";
  if (process.platform !== "linux") return { name, ok: false, detail: `the sandbox needs Linux, this is ${process.platform}`, fix: "run Spool on Linux for code_interpreter" };
  const missing = ["bwrap", "prlimit", "setpriv"].filter((program) => !onPath(program, env));
  if (missing.length > 0) {
    return {
      name,
      ok: false,
      detail: `not found on PATH: ${missing.join(", ")}; runs with code_interpreter fail`,
      fix: `sudo apt-get install bubblewrap util-linux (${setupHint})`,
    };
  }
  const version = (await run("bwrap", ["--version"], env)).stdout.trim();
  const probe = await run("bwrap", ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all", "--die-with-parent", "true"], env);
  if (probe.code !== 0) {
    return {
      name,
      ok: false,
      detail: `${version || "bwrap"} cannot create a sandbox here: ${probe.stderr.trim() || probe.error?.message || `exit ${probe.code}`}`,
      fix: "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0), or run Spool as root in a container that permits them",
    };
  }
  return { name, ok: true, detail: `${version || "bwrap"} creates sandboxes` };
}

/** The Python the sandbox runs, with the libraries code_interpreter promises. */
export async function checkPython(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = "python";
  const fix = `sudo apt-get install python3 python3-numpy python3-pandas python3-matplotlib (${setupHint})`;
  const result = await run(PYTHON_PATH, ["-c", "import numpy, pandas, matplotlib; print(numpy.__version__, pandas.__version__, matplotlib.__version__)"], env);
  if (result.error && result.code === null) return { name, ok: false, detail: `${PYTHON_PATH} cannot be run (${result.error.message}); runs with code_interpreter fail`, fix };
  if (result.code !== 0) {
    const problem = /No module named '[^']+'/.exec(result.stderr)?.[0] ?? (result.stderr.trim() || `exit ${result.code}`);
    return { name, ok: false, detail: `${PYTHON_PATH}: ${problem}; runs with code_interpreter fail`, fix };
  }
  const [numpy, pandas, matplotlib] = result.stdout.trim().split(" ");
  return { name, ok: true, detail: `${PYTHON_PATH} with numpy ${numpy}, pandas ${pandas}, matplotlib ${matplotlib}` };
}

/** Fonts for chart labels in Korean, Chinese or Japanese. */
export function checkFonts(): CheckResult {
  const name = "fonts";
  const missing = CJK_FONTS.filter((font) => !fs.existsSync(font.file));
  if (missing.length > 0) {
    return {
      name,
      ok: false,
      detail: `missing ${missing.map((font) => font.file).join(", ")}; Korean, Chinese and Japanese chart labels show as boxes`,
      fix: `sudo apt-get install fonts-nanum fonts-noto-cjk (${setupHint})`,
    };
  }
  return { name, ok: true, detail: CJK_FONTS.map((font) => font.family).join(", ") };
}

/** The database the server would open, looked at without changing it. */
export async function checkDatabase(config: Config): Promise<CheckResult> {
  const name = "database";
  if (config.databaseUrl) return checkPostgres(config.databaseUrl);
  const file = path.join(config.dataDir, "spool.db");
  const fix = "check SPOOL_DATA_DIR and that this user may read and write it";
  if (!fs.existsSync(file)) {
    let existing = config.dataDir;
    while (!fs.existsSync(existing)) existing = path.dirname(existing);
    try {
      fs.accessSync(existing, fs.constants.W_OK);
      return { name, ok: true, detail: `SQLite: no database yet; the server creates ${file} on its first start` };
    } catch {
      return { name, ok: false, detail: `SQLite: cannot create ${file}: ${existing} is not writable`, fix };
    }
  }
  try {
    const { default: SqliteDatabase } = await import("better-sqlite3");
    const database = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      const { threads } = database.prepare("select count(*) as threads from threads").get() as { threads: number };
      return { name, ok: true, detail: `SQLite at ${file}, ${threads} threads` };
    } finally {
      database.close();
    }
  } catch (error) {
    return { name, ok: false, detail: `SQLite at ${file}: ${error instanceof Error ? error.message : String(error)}`, fix };
  }
}

async function checkPostgres(url: string): Promise<CheckResult> {
  const name = "database";
  const where = redactedUrl(url);
  if (!/^postgres(ql)?:\/\//.test(url)) return { name, ok: false, detail: "SPOOL_DATABASE_URL is not a postgres:// URL", fix: "set SPOOL_DATABASE_URL to postgres://user:password@host:5432/database, or unset it for SQLite" };
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ ready: boolean }>("select to_regclass('threads') is not null as ready");
    if (!rows[0]?.ready) return { name, ok: true, detail: `Postgres at ${where}: no Spool tables yet; the server creates them on its first start` };
    const count = await client.query<{ threads: string }>("select count(*) as threads from threads");
    return { name, ok: true, detail: `Postgres at ${where}, ${count.rows[0]?.threads ?? 0} threads` };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `Postgres at ${where}: ${error instanceof Error ? error.message : String(error)}`,
      fix: "check SPOOL_DATABASE_URL (host, port, user, password, database) and that PostgreSQL is running",
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The model server, asked for its model list (any answer but a refused key means it is there). */
export async function checkUpstream(config: Config): Promise<CheckResult> {
  const name = "upstream";
  const url = `${config.upstreamUrl.replace(/\/+$/, "")}/models`;
  try {
    const response = await fetch(url, {
      headers: config.upstreamApiKey ? { authorization: `Bearer ${config.upstreamApiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 403) {
      return { name, ok: false, detail: `${config.upstreamUrl} answers, but refuses the key (HTTP ${response.status}); runs fail`, fix: "set SPOOL_UPSTREAM_API_KEY to a key it accepts" };
    }
    await response.body?.cancel();
    return { name, ok: true, detail: `${config.upstreamUrl} answers (HTTP ${response.status} for GET /models)` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return {
      name,
      ok: false,
      detail: `cannot reach ${config.upstreamUrl}: ${cause}; runs fail`,
      fix: "set SPOOL_UPSTREAM_URL to your model server's OpenAI-compatible base URL (…/v1) and check that it runs",
    };
  }
}
