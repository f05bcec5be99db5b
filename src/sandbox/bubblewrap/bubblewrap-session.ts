import { chmod, chown, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { ExecutionResult, SandboxOutputFile } from "../code-sandbox.js";
import type { SandboxLimits } from "../sandbox-limits.js";
import { KernelProcess, signalFromExitCode } from "./kernel-process.js";
import type { CellOutcome, StopReason } from "./kernel-process.js";
import { kernelSource } from "./kernel-source.js";
import { runConfined } from "./run-confined.js";
import { PYTHON_PATH, SANDBOX_DATA_DIR, sandboxCommand } from "./sandbox-command.js";
import type { SandboxPlacement } from "./sandbox-command.js";
import { changedFiles, copyOutOfScratch, dataFileName, scanScratch } from "./scratch-files.js";
import type { ScratchSnapshot } from "./scratch-files.js";

/** Fonts that render Korean (and other CJK) chart labels, used when installed. */
export const CJK_FONTS = [{ family: "NanumGothic", file: "/usr/share/fonts/truetype/nanum/NanumGothic.ttf" }];

/** Writes stdin to "$1" from inside the sandbox, so symlinks planted in /mnt/data resolve in the sandbox, not on the host. */
const WRITE_STDIN_TO_FILE = 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"';

export interface SessionSettings {
  limits: SandboxLimits;
  /** Holds this session's scratch dir (`data`, bound at /mnt/data) and the host-only copies of its outputs. */
  sessionDir: string;
  uid: number | undefined;
  startupTimeoutMs: number;
  /** Called when the session has been unused for `idleTimeoutMs`. */
  onIdle: () => void;
  /** Called once `end()` has killed the kernel and removed the session's directory. */
  onEnded: () => void;
}

export class SessionEndedError extends Error {
  override name = "SessionEndedError";
}

let useCounter = 0;
const nextUse = () => (useCounter += 1);

const STATE_LOST = "variables and imports are lost (files in /mnt/data are kept)";

function stopCause(reason: StopReason, limits: SandboxLimits): string {
  if (reason.type === "timeout") return `Execution timed out after ${reason.afterMs / 1000} s.`;
  if (reason.type === "aborted") return "Execution was cancelled.";
  const signal = reason.signal ?? signalFromExitCode(reason.code);
  if (signal === "SIGXCPU") return `CPU time limit of ${limits.cpuSeconds} s exceeded.`;
  if (signal === "SIGKILL") return "The Python process was killed (it may have exceeded a resource limit).";
  return `The Python process exited (${signal ?? `exit code ${reason.code}`}).`;
}

/** One stateful Python session: a kernel process (started on demand, restarted after a limit kills it) and a scratch dir. */
export class BubblewrapSession {
  private kernel: KernelProcess | undefined;
  private queue: Promise<unknown>;
  private idleTimer: NodeJS.Timeout | undefined;
  private cellCount = 0;
  private ended = false;
  private pendingOperations = 0;
  private readonly placement: SandboxPlacement;
  private readonly outputsDir: string;
  /** Increases with every use across sessions; orders them for eviction even when uses share a millisecond. */
  lastUse = nextUse();

  constructor(private readonly settings: SessionSettings) {
    this.placement = { dataDir: path.join(settings.sessionDir, "data"), uid: settings.uid };
    this.outputsDir = path.join(settings.sessionDir, "outputs");
    this.queue = this.prepareDirectories();
    this.queue.catch(() => undefined);
  }

  /** True while a cell or file write is queued or running, so the session must not be evicted. */
  get isBusy(): boolean {
    return this.pendingOperations > 0;
  }

  /** pid of the running kernel's sandbox, if any. */
  get pid(): number | undefined {
    return this.kernel?.isAlive ? this.kernel.pid : undefined;
  }

  execute(code: string, signal?: AbortSignal): Promise<ExecutionResult> {
    return this.enqueue(() => this.runCell(code, signal), signal);
  }

  putFile(name: string, content: Uint8Array): Promise<void> {
    const fileName = dataFileName(name);
    return this.enqueue(() => this.writeFile(fileName, content));
  }

  /** Kills the kernel (a running cell ends as stopped) and removes the session's directory. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    const kernel = this.kernel;
    kernel?.kill();
    await kernel?.exited;
    await this.queue.catch(() => undefined);
    await rm(this.settings.sessionDir, { recursive: true, force: true });
    this.settings.onEnded();
  }

  private async prepareDirectories(): Promise<void> {
    // The sandbox uid must be able to traverse to its scratch dir for bwrap to bind it, but not list siblings.
    await mkdir(this.settings.sessionDir, { mode: 0o711 });
    await chmod(this.settings.sessionDir, 0o711);
    await mkdir(this.outputsDir, { mode: 0o700 });
    await mkdir(this.placement.dataDir, { mode: 0o700 });
    if (this.placement.uid !== undefined) await chown(this.placement.dataDir, this.placement.uid, this.placement.uid);
  }

  private enqueue<T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.ended) return Promise.reject(new SessionEndedError("sandbox session has ended"));
    this.pendingOperations += 1;
    clearTimeout(this.idleTimer);
    const run = async () => {
      if (this.ended) throw new SessionEndedError("sandbox session has ended");
      signal?.throwIfAborted();
      return operation();
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined).finally(() => {
      this.pendingOperations -= 1;
      this.lastUse = nextUse();
      if (this.pendingOperations === 0 && !this.ended) {
        this.idleTimer = setTimeout(this.settings.onIdle, this.settings.limits.idleTimeoutMs).unref();
      }
    });
    return result;
  }

  /** Returns a running kernel, plus a notice when the previous one died between cells (its state is gone). */
  private async startKernel(): Promise<{ kernel: KernelProcess; notice: string | undefined }> {
    if (this.kernel?.isAlive) return { kernel: this.kernel, notice: undefined };
    const { limits } = this.settings;
    const lost = this.kernel?.exitReason;
    const notice = lost && `[Since the previous cell: ${stopCause(lost, limits)} This cell ran in a new Python session: ${STATE_LOST}.]\n`;
    const config = JSON.stringify({ cpuSeconds: limits.cpuSeconds, maxImages: limits.maxImages, cjkFonts: CJK_FONTS });
    const command = sandboxCommand(this.placement, limits, [PYTHON_PATH, "-u", "-c", kernelSource, config]);
    this.kernel = await KernelProcess.start(command, this.settings.startupTimeoutMs);
    return { kernel: this.kernel, notice };
  }

  private async runCell(code: string, signal: AbortSignal | undefined): Promise<ExecutionResult> {
    const { kernel, notice } = await this.startKernel();
    // An abort while the kernel was starting would otherwise go unnoticed.
    signal?.throwIfAborted();
    const before = await scanScratch(this.placement.dataDir);
    const outcome = await kernel.run(code, this.settings.limits.wallTimeoutMs, this.settings.limits.maxOutputChars, signal);
    if (outcome.kind === "stopped") {
      // Already reported in this cell's logs, so the next cell need not mention it.
      this.kernel = undefined;
      if (outcome.reason.type === "aborted") throw signal?.reason ?? new DOMException("execution aborted", "AbortError");
    }
    const { files, notes } = await this.collectOutputs(before);
    return {
      logs: (notice ?? "") + this.logsOf(outcome, notes),
      images: outcome.kind === "completed" ? outcome.images : [],
      files,
      failed: outcome.kind === "stopped" || outcome.failed,
    };
  }

  private logsOf(outcome: CellOutcome, notes: string[]): string {
    const stopped = outcome.kind === "stopped"
      ? [`${stopCause(outcome.reason, this.settings.limits)} The Python session was reset: ${STATE_LOST}.`]
      : [];
    const messages = [...stopped, ...notes];
    if (messages.length === 0) return outcome.logs;
    const separator = outcome.logs === "" || outcome.logs.endsWith("\n") ? "" : "\n";
    return outcome.logs + separator + messages.join("\n");
  }

  private async collectOutputs(before: ScratchSnapshot): Promise<{ files: SandboxOutputFile[]; notes: string[] }> {
    const { maxOutputFiles, fileSizeBytes } = this.settings.limits;
    const changed = changedFiles(before, await scanScratch(this.placement.dataDir));
    this.cellCount += 1;
    const destination = path.join(this.outputsDir, String(this.cellCount));
    const files: SandboxOutputFile[] = [];
    for (const name of changed.slice(0, maxOutputFiles)) {
      const copy = await copyOutOfScratch(this.placement.dataDir, name, destination, fileSizeBytes);
      if (copy) files.push({ name, ...copy });
    }
    const notes = changed.length > maxOutputFiles
      ? [`[${changed.length - maxOutputFiles} more changed files in ${SANDBOX_DATA_DIR} not returned: at most ${maxOutputFiles} per cell]`]
      : [];
    return { files, notes };
  }

  private async writeFile(name: string, content: Uint8Array): Promise<void> {
    const limits = { ...this.settings.limits, fileSizeBytes: Math.max(this.settings.limits.fileSizeBytes, content.byteLength) };
    const command = sandboxCommand(this.placement, limits, ["/bin/sh", "-c", WRITE_STDIN_TO_FILE, "sh", `${SANDBOX_DATA_DIR}/${name}`]);
    const { code, stderr } = await runConfined(command, content, this.settings.limits.wallTimeoutMs);
    if (code !== 0) throw new Error(`could not write ${SANDBOX_DATA_DIR}/${name} in the sandbox (exit ${code}): ${stderr}`);
  }
}
