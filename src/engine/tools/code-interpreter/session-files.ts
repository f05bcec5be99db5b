import { sandboxFileName } from "./input-files.js";

/** What the tool knows about one thread's sandbox session. */
export interface SessionFiles {
  /** Name under /mnt/data of each input file, by File id; fixed once the model has been told it. */
  readonly inputNames: Map<string, string>;
  /** Files (inputs, and outputs of the thread's code) the live session holds, by File id; emptied when the sandbox has ended it. */
  readonly placed: Set<string>;
  /** Latest File id of each file the session's code wrote, by name under /mnt/data, for `sandbox:` links. */
  readonly outputs: Map<string, string>;
  /** Images saved so far, to number their file names. */
  imageCount: number;
}

interface Entry {
  files: SessionFiles;
  /** When the sandbox last did something for this session (its idle timer starts then). */
  lastSandboxUse: number;
  lastSeen: number;
}

/** Entries of threads not seen for this long are dropped; a later run starts from scratch. */
const forgetAfterMs = 24 * 60 * 60_000;

/**
 * Tracks, per sandbox session (one per thread), which input files are in /mnt/data and which files the
 * code produced. The sandbox ends a session left idle for `idleTimeoutMs` and its files go with it, so a
 * session idle about that long is taken to be gone and its input files are written again; writing them
 * again into a session that happens to be alive only restores their original content.
 */
export class SessionFileTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly idleTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The session's files, with `placed` emptied when the sandbox has (probably) ended the session. */
  files(sessionId: string): SessionFiles {
    const now = this.now();
    this.forgetOld(now);
    const entry = this.entries.get(sessionId) ?? this.create(sessionId, now);
    entry.lastSeen = now;
    // A 10% margin: the sandbox's timer starts a moment after our operation returns, never before.
    if (now - entry.lastSandboxUse >= this.idleTimeoutMs * 0.9) entry.files.placed.clear();
    return entry.files;
  }

  /** Records that the sandbox just worked for the session (which restarts its idle timer). */
  used(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (entry) entry.lastSandboxUse = this.now();
  }

  /** The name an input file has (or now gets) in the session. */
  nameOf(files: SessionFiles, fileId: string, filename: string): string {
    const known = files.inputNames.get(fileId);
    if (known) return known;
    const name = sandboxFileName(filename, fileId, new Set(files.inputNames.values()));
    files.inputNames.set(fileId, name);
    return name;
  }

  private create(sessionId: string, now: number): Entry {
    const entry: Entry = {
      files: { inputNames: new Map(), placed: new Set(), outputs: new Map(), imageCount: 0 },
      // Never used: no session exists yet, so nothing is placed.
      lastSandboxUse: Number.NEGATIVE_INFINITY,
      lastSeen: now,
    };
    this.entries.set(sessionId, entry);
    return entry;
  }

  private forgetOld(now: number): void {
    for (const [sessionId, entry] of this.entries) if (now - entry.lastSeen > forgetAfterMs) this.entries.delete(sessionId);
  }
}
