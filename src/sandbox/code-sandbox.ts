/** Whether a sandbox can run code here; `reason` says what is missing when it cannot. */
export type SandboxStatus = { available: true } | { available: false; reason: string };

/** A file a cell created or changed under /mnt/data, copied where the sandboxed code cannot touch it. */
export interface SandboxOutputFile {
  /** File name relative to /mnt/data, e.g. "chart.png" or "out/report.csv". */
  name: string;
  /** Absolute host path the server can read the bytes from (copy it before the session ends). */
  hostPath: string;
  /** Size of the file at `hostPath`. */
  bytes: number;
}

/** What one cell produced. */
export interface ExecutionResult {
  /** stdout + stderr + repr of the last expression (like a notebook cell), truncated to a limit with a note. */
  logs: string;
  /** PNG images produced by plt.show() / figures left open at the end of the cell, in order. */
  images: Uint8Array[];
  /** Files created or modified under /mnt/data by this execution (not the ones that were put in). */
  files: SandboxOutputFile[];
  /** true when the code raised, or was stopped by a limit (the traceback/limit message is in logs). */
  failed: boolean;
}

/** Runs untrusted Python for the code_interpreter tool, one stateful session per thread. */
export interface CodeSandbox {
  /** Fixed when the sandbox is created; when unavailable every method rejects. */
  readonly status: SandboxStatus;
  /** Runs a cell in the session `sessionId` (created on first use, stateful: variables and /mnt/data persist between calls). */
  execute(sessionId: string, code: string, options?: { signal?: AbortSignal }): Promise<ExecutionResult>;
  /** Places a file at /mnt/data/<name> in the session (creating the session if needed). */
  putFile(sessionId: string, name: string, content: Uint8Array): Promise<void>;
  /** Ends a session and frees its resources (process, scratch dir). Idempotent. */
  endSession(sessionId: string): Promise<void>;
  /** Ends every session. */
  close(): Promise<void>;
}
