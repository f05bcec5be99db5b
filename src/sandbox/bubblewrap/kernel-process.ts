import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants } from "node:os";
import type { SandboxCommand } from "./sandbox-command.js";
import { CellOutput } from "./cell-output.js";
import { FrameReader, encodeFrame } from "./frame-reader.js";

/** Replies carry base64 PNGs; anything beyond this is a misbehaving kernel, not a chart. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** bwrap reports a child killed by signal N as exit status 128 + N. */
const SIGNAL_EXIT_BASE = 128;
const STDERR_KEPT_CHARS = 4_000;

export type CellOutcome =
  | { kind: "completed"; logs: string; failed: boolean; images: Uint8Array[] }
  /** The kernel is gone (killed by a limit, by the host, or exited); `reason` says why for the logs. */
  | { kind: "stopped"; logs: string; reason: StopReason };

export type StopReason =
  | { type: "timeout"; afterMs: number }
  | { type: "aborted" }
  | { type: "exited"; code: number | null; signal: NodeJS.Signals | null; stderr: string };

interface KernelReply {
  nonce: string;
  failed: boolean;
  images: string[];
}

interface RunningCell {
  nonce: string;
  output: CellOutput;
  reply: KernelReply | undefined;
  finish: (outcome: CellOutcome) => void;
}

function isKernelReply(value: unknown): value is KernelReply {
  if (typeof value !== "object" || value === null) return false;
  const reply = value as Record<string, unknown>;
  return typeof reply["nonce"] === "string" && typeof reply["failed"] === "boolean"
    && Array.isArray(reply["images"]) && reply["images"].every((image) => typeof image === "string");
}

/** Name of the signal behind a bwrap exit status, if it stands for one. */
export function signalFromExitCode(code: number | null): string | undefined {
  if (code === null || code <= SIGNAL_EXIT_BASE) return undefined;
  const number = code - SIGNAL_EXIT_BASE;
  return Object.entries(constants.signals).find(([, value]) => value === number)?.[0];
}

/** One sandboxed Python kernel process and the framed protocol spoken with it. */
export class KernelProcess {
  private readonly child: ChildProcess;
  private readonly replies = new FrameReader(MAX_REPLY_BYTES);
  private stderr = "";
  private running: RunningCell | undefined;
  private onReady: ((error?: Error) => void) | undefined;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;

  private constructor(command: SandboxCommand) {
    this.child = spawn(command.command, command.args, {
      env: command.env,
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      detached: true,
    });
    this.exited = new Promise((resolve) => this.child.once("close", () => resolve()));
    this.child.once("exit", (code, signal) => this.handleExit(code, signal));
    this.child.once("error", (error) => this.handleSpawnError(error));
    // A kernel that died mid-write makes stdin emit EPIPE; the exit handler reports it.
    this.child.stdin?.on("error", () => undefined);
    this.child.stdout?.setEncoding("utf8");
    this.child.stdout?.on("data", (text: string) => {
      this.running?.output.write(text);
      this.completeIfDone();
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEPT_CHARS);
    });
    const replyStream = this.child.stdio[3];
    replyStream?.on("data", (chunk: Buffer) => this.handleReplyBytes(chunk));
    replyStream?.on("error", () => undefined);
  }

  /** Spawns the kernel and resolves once it has said it is ready, or rejects with its stderr. */
  static async start(command: SandboxCommand, startupTimeoutMs: number): Promise<KernelProcess> {
    const kernel = new KernelProcess(command);
    const ready = new Promise<void>((resolve, reject) => {
      kernel.onReady = (error) => (error ? reject(error) : resolve());
    });
    const timer = setTimeout(() => kernel.failStartup(new Error(`sandbox did not start within ${startupTimeoutMs} ms`)), startupTimeoutMs);
    try {
      await ready;
      return kernel;
    } catch (error) {
      kernel.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isAlive(): boolean {
    return this.exitStatus === undefined;
  }

  /** Why the kernel is gone, once it is. */
  get exitReason(): StopReason | undefined {
    return this.exitStatus && { type: "exited", ...this.exitStatus, stderr: this.stderr };
  }

  /** Runs one cell; on timeout or abort the kernel is killed and the outcome says so. */
  run(code: string, timeoutMs: number, maxOutputChars: number, signal?: AbortSignal): Promise<CellOutcome> {
    if (this.running) throw new Error("kernel is already running a cell");
    const nonce = randomUUID();
    return new Promise<CellOutcome>((resolve) => {
      const stop = (reason: StopReason) => {
        this.kill();
        this.finishRunning({ kind: "stopped", logs: cell.output.text(), reason });
      };
      const timer = setTimeout(() => stop({ type: "timeout", afterMs: timeoutMs }), timeoutMs);
      const onAbort = () => stop({ type: "aborted" });
      const cell: RunningCell = {
        nonce,
        output: new CellOutput(maxOutputChars, `\0spool-cell-end:${nonce}\0`),
        reply: undefined,
        finish: (outcome) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(outcome);
        },
      };
      this.running = cell;
      signal?.addEventListener("abort", onAbort, { once: true });
      if (this.exitStatus) {
        this.finishRunning(this.stoppedByExit());
        return;
      }
      this.child.stdin?.write(encodeFrame(Buffer.from(JSON.stringify({ nonce, code }))));
    });
  }

  /** Kills the whole sandbox: bwrap leads its own process group, and its pid-namespace init takes the rest down. */
  kill(): void {
    if (this.child.pid === undefined || this.exitStatus) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }

  private handleReplyBytes(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.replies.push(chunk);
    } catch {
      this.kill();
      return;
    }
    for (const frame of frames) this.handleReply(frame);
  }

  private handleReply(frame: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(frame.toString("utf8"));
    } catch {
      this.kill();
      return;
    }
    if (this.onReady) {
      const ready = typeof message === "object" && message !== null && (message as Record<string, unknown>)["ready"] === true;
      if (ready) this.onReady();
      else this.failStartup(new Error("sandbox kernel sent an unexpected first message"));
      this.onReady = undefined;
      return;
    }
    // The cell's own code can write to the reply pipe; only a well-formed reply to the current cell counts.
    if (!isKernelReply(message) || !this.running || message.nonce !== this.running.nonce) return;
    this.running.reply = message;
    this.completeIfDone();
  }

  private completeIfDone(): void {
    const cell = this.running;
    if (!cell?.reply || !cell.output.isEnded) return;
    const images = cell.reply.images.map((image) => new Uint8Array(Buffer.from(image, "base64")));
    this.finishRunning({ kind: "completed", logs: cell.output.text(), failed: cell.reply.failed, images });
  }

  private finishRunning(outcome: CellOutcome): void {
    const cell = this.running;
    if (!cell) return;
    this.running = undefined;
    cell.finish(outcome);
  }

  private stoppedByExit(): CellOutcome {
    return {
      kind: "stopped",
      logs: this.running?.output.text() ?? "",
      reason: this.exitReason ?? { type: "exited", code: null, signal: null, stderr: this.stderr },
    };
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitStatus = { code, signal };
    this.failStartup(new Error(`sandbox exited during startup (${signal ?? `code ${code}`}): ${this.stderr.trim()}`));
    // Output still in the pipe arrives before 'close'; wait for it so the logs are complete.
    void this.exited.then(() => this.finishRunning(this.stoppedByExit()));
  }

  private handleSpawnError(error: Error): void {
    this.exitStatus = { code: null, signal: null };
    this.failStartup(new Error(`cannot start the sandbox: ${error.message}`));
    this.finishRunning(this.stoppedByExit());
  }

  private failStartup(error: Error): void {
    const onReady = this.onReady;
    this.onReady = undefined;
    onReady?.(error);
  }
}
