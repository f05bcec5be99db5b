import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCommand {
  process: ChildProcess;
  /** Resolves once the process has ended. */
  finished: Promise<CommandResult>;
}

/**
 * Runs the `spool` command (src/cli/main.ts through tsx) as its own process in the repository root, with
 * `env` on top of this process's environment (`replaceEnv` uses `env` alone, plus what tsx needs).
 */
export function startSpoolCommand(args: string[], env: Record<string, string> = {}, options: { replaceEnv?: boolean } = {}): RunningCommand {
  const base = options.replaceEnv ? { HOME: process.env.HOME ?? "/tmp" } : process.env;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: child, finished: new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr }))) };
}

export function runSpoolCommand(args: string[], env: Record<string, string> = {}, options: { replaceEnv?: boolean } = {}): Promise<CommandResult> {
  return startSpoolCommand(args, env, options).finished;
}
