import { spawn } from "node:child_process";
import type { SandboxCommand } from "./sandbox-command.js";

const STDERR_KEPT_CHARS = 2_000;

/** Runs a short sandboxed command to completion, feeding it `input`; resolves with its exit code and stderr tail. */
export function runConfined(command: SandboxCommand, input: Uint8Array, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, { env: command.env, stdio: ["pipe", "ignore", "pipe"], detached: true });
    let stderr = "";
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Exited meanwhile.
      }
    }, timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      stderr = (stderr + text).slice(-STDERR_KEPT_CHARS);
    });
    child.stdin.on("error", () => undefined);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr: stderr.trim() });
    });
    child.stdin.end(input);
  });
}
