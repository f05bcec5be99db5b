/** Resource limits applied to every sandbox session. */
export interface SandboxLimits {
  /** CPU time one cell may use before the kernel is killed. */
  cpuSeconds: number;
  /** Address space of each sandboxed process. */
  memoryBytes: number;
  /** Largest file a cell may write. */
  fileSizeBytes: number;
  /** Processes and threads a session may have at once. */
  maxProcesses: number;
  /** Wall-clock time one cell may take; the host kills the session when it runs over. */
  wallTimeoutMs: number;
  /** A session unused this long is ended and its scratch dir removed. */
  idleTimeoutMs: number;
  /** Characters of logs kept per cell (head and tail); the middle is replaced by a note. */
  maxOutputChars: number;
  /** Size of each in-memory scratch filesystem (/tmp, /dev/shm), which would otherwise be bounded only by host RAM. */
  tmpfsBytes: number;
  /** Figures returned per cell; more are dropped with a note in logs. */
  maxImages: number;
  /** Output files reported per cell; more are dropped with a note in logs. */
  maxOutputFiles: number;
}

const MIB = 1024 * 1024;

export const defaultSandboxLimits: SandboxLimits = {
  cpuSeconds: 30,
  memoryBytes: 1024 * MIB,
  fileSizeBytes: 100 * MIB,
  maxProcesses: 64,
  wallTimeoutMs: 60_000,
  idleTimeoutMs: 10 * 60_000,
  maxOutputChars: 20_000,
  tmpfsBytes: 256 * MIB,
  maxImages: 20,
  maxOutputFiles: 50,
};

/** Options shared by sandbox implementations. */
export interface SandboxOptions {
  /** Directory holding the sessions' scratch dirs; owned by one sandbox, which empties it at startup. */
  rootDir: string;
  /** Overrides for `defaultSandboxLimits`. */
  limits?: Partial<SandboxLimits>;
}

export function resolveSandboxLimits(overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const limits = { ...defaultSandboxLimits, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`sandbox limit ${name} must be a positive number, got ${value}`);
  }
  return limits;
}
