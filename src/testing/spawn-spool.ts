import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface SpawnedSpool {
  url: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  output(): string;
}

/**
 * Starts Spool as its own OS process (for crash and shutdown tests and benchmarks): from source through
 * tsx by default, or the build in `dist/` as production runs it.
 */
export async function spawnSpool(
  env: Record<string, string>,
  options: { from?: "source" | "build"; nodeArguments?: string[] } = {},
): Promise<SpawnedSpool> {
  const port = await freePort();
  const entry = options.from === "build" ? [path.join(root, "dist/main.js")] : ["--import", "tsx", path.join(root, "src/main.ts")];
  const child = spawn(process.execPath, [...(options.nodeArguments ?? []), ...entry], {
    cwd: root,
    env: { ...process.env, SPOOL_HOST: "127.0.0.1", SPOOL_PORT: String(port), SPOOL_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`spool exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`spool did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, process: child, exited, output: () => output };
}
