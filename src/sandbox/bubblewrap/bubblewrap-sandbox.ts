import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { noMetrics, type SandboxMetrics } from "../../observability/metrics.js";
import type { CodeSandbox, ExecutionResult, SandboxStatus } from "../code-sandbox.js";
import { resolveSandboxLimits } from "../sandbox-limits.js";
import type { SandboxLimits, SandboxOptions } from "../sandbox-limits.js";
import { UnavailableSandbox } from "../unavailable-sandbox.js";
import { BubblewrapSession } from "./bubblewrap-session.js";
import { probeBubblewrap } from "./probe-bubblewrap.js";
import { UidPool } from "./uid-pool.js";

export interface BubblewrapSandboxOptions extends SandboxOptions {
  /**
   * When the server runs as root, each live session runs as its own uid/gid from `firstUid` up to
   * `firstUid + 2 × maxSessions`, so sessions cannot read each other's files and each has its own process
   * count. Pick a range no real account uses. When not root, sessions run as the server's uid.
   */
  firstUid?: number;
  /** Sessions alive at once; past it the least recently used idle session is ended. */
  maxSessions?: number;
  /** Time a new kernel may take to report ready. */
  startupTimeoutMs?: number;
  /** `rootDir` was made for this process (see `sandboxRoot`): remove it when the sandbox closes. */
  temporaryRoot?: boolean;
  /** Told of every session that starts and ends. */
  metrics?: SandboxMetrics;
}

const DEFAULT_FIRST_UID = 1_900_000_000;
const DEFAULT_MAX_SESSIONS = 100;
const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;

export class TooManySessionsError extends Error {
  override name = "TooManySessionsError";
}

/** Runs each session's Python under bubblewrap as an unprivileged user, with rlimits and no network. */
export class BubblewrapSandbox implements CodeSandbox {
  readonly status: SandboxStatus = { available: true };
  private readonly sessions = new Map<string, BubblewrapSession>();
  private closed = false;

  constructor(
    private readonly rootDir: string,
    private readonly limits: SandboxLimits,
    private readonly uids: UidPool | undefined,
    private readonly maxSessions: number,
    private readonly startupTimeoutMs: number,
    private readonly temporaryRoot: boolean,
    private readonly metrics: SandboxMetrics,
  ) {}

  execute(sessionId: string, code: string, options: { signal?: AbortSignal } = {}): Promise<ExecutionResult> {
    return this.withSession(sessionId, (session) => session.execute(code, options.signal));
  }

  putFile(sessionId: string, name: string, content: Uint8Array): Promise<void> {
    return this.withSession(sessionId, (session) => session.putFile(name, content));
  }

  async endSession(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    await session.end();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions.keys()].map((sessionId) => this.endSession(sessionId)));
    if (this.temporaryRoot) await rm(this.rootDir, { recursive: true, force: true });
  }

  /** pid of the bwrap process running the session's kernel, for diagnostics and benchmarks. */
  kernelPid(sessionId: string): number | undefined {
    return this.sessions.get(sessionId)?.pid;
  }

  private async withSession<T>(sessionId: string, operation: (session: BubblewrapSession) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error("sandbox is closed");
    return operation(this.sessions.get(sessionId) ?? this.openSession(sessionId));
  }

  private openSession(sessionId: string): BubblewrapSession {
    if (this.sessions.size >= this.maxSessions) this.evictIdleSession();
    const uid = this.uids?.take();
    const session = new BubblewrapSession({
      limits: this.limits,
      sessionDir: path.join(this.rootDir, randomBytes(12).toString("hex")),
      uid,
      startupTimeoutMs: this.startupTimeoutMs,
      onIdle: () => void this.endSession(sessionId),
      // The uid returns to the pool only once the session's processes are dead and its files removed.
      onEnded: () => {
        if (uid !== undefined) this.uids?.release(uid);
        this.metrics.sandboxSessionEnded();
      },
    });
    this.metrics.sandboxSessionStarted();
    this.sessions.set(sessionId, session);
    return session;
  }

  private evictIdleSession(): void {
    const idle = [...this.sessions].filter(([, session]) => !session.isBusy).sort(([, a], [, b]) => a.lastUse - b.lastUse);
    const oldest = idle[0];
    if (!oldest) throw new TooManySessionsError(`all ${this.maxSessions} sandbox sessions are busy`);
    void this.endSession(oldest[0]);
  }
}

/**
 * Checks that bubblewrap can run /usr/bin/python3 with numpy, pandas and matplotlib here and returns a
 * sandbox; when it cannot, returns an UnavailableSandbox whose status says why.
 */
export async function createBubblewrapSandbox(options: BubblewrapSandboxOptions): Promise<CodeSandbox> {
  const limits = resolveSandboxLimits(options.limits);
  if (process.platform !== "linux") return new UnavailableSandbox(`bubblewrap needs Linux, this is ${process.platform}`);
  const rootDir = path.resolve(options.rootDir);
  await mkdir(rootDir, { recursive: true });
  // Leftovers of a previous run belong to sessions that no longer exist.
  await Promise.all((await readdir(rootDir)).map((entry) => rm(path.join(rootDir, entry), { recursive: true, force: true })));
  await chmod(rootDir, 0o711);
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  // Twice the sessions: an evicted session keeps its uid until its processes are gone.
  const uids = process.getuid?.() === 0 ? new UidPool(options.firstUid ?? DEFAULT_FIRST_UID, 2 * maxSessions) : undefined;
  const problem = await probeBubblewrap(rootDir, limits, uids);
  const temporaryRoot = options.temporaryRoot ?? false;
  if (problem) {
    if (temporaryRoot) await rm(rootDir, { recursive: true, force: true });
    return new UnavailableSandbox(problem);
  }
  return new BubblewrapSandbox(rootDir, limits, uids, maxSessions, options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS, temporaryRoot, options.metrics ?? noMetrics);
}
