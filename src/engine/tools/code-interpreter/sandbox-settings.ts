import type { Config } from "../../../config/config.js";
import type { SandboxLimits } from "../../../sandbox/sandbox-limits.js";

const MIB = 1024 * 1024;

/** The sandbox limits the `SPOOL_SANDBOX_*` settings choose; the rest keep the sandbox's defaults. */
export function sandboxLimitsOf(config: Config): Partial<SandboxLimits> {
  return {
    cpuSeconds: config.sandboxCpuSeconds,
    wallTimeoutMs: config.sandboxTimeoutSeconds * 1000,
    memoryBytes: config.sandboxMemoryMb * MIB,
    maxProcesses: config.sandboxMaxProcesses,
    fileSizeBytes: config.sandboxFileSizeMb * MIB,
    idleTimeoutMs: config.sandboxIdleSeconds * 1000,
  };
}
