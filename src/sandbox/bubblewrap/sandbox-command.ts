import { existsSync } from "node:fs";
import type { SandboxLimits } from "../sandbox-limits.js";

/** Where a sandboxed program runs: the host dir bound at /mnt/data and the unprivileged identity it runs as. */
export interface SandboxPlacement {
  dataDir: string;
  /** uid and gid to switch to before entering the sandbox; undefined keeps the server's own (when it is not root). */
  uid: number | undefined;
}

export interface SandboxCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export const PYTHON_PATH = "/usr/bin/python3";
export const SANDBOX_DATA_DIR = "/mnt/data";

/**
 * Only what Python, numpy's BLAS (reached through /etc/alternatives), fonts and matplotlib need:
 * the rest of /etc can hold host secrets and is not mounted.
 */
const ETC_ENTRIES = [
  "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "fonts", "matplotlibrc", "mime.types",
];

const SANDBOX_ENV: Record<string, string> = {
  PATH: "/usr/bin:/bin",
  HOME: "/tmp",
  TMPDIR: "/tmp",
  MPLCONFIGDIR: "/tmp/matplotlib",
  LANG: "C.UTF-8",
  PYTHONIOENCODING: "utf-8",
  PYTHONDONTWRITEBYTECODE: "1",
  // One BLAS/OpenMP thread per process keeps sessions inside the process limit and the address-space limit.
  OPENBLAS_NUM_THREADS: "1",
  OMP_NUM_THREADS: "1",
  MKL_NUM_THREADS: "1",
};

function rlimitArgs(limits: SandboxLimits): string[] {
  return [
    // The kernel lowers the soft CPU limit per cell; the hard limit must stay open so it can raise it again.
    `--cpu=${limits.cpuSeconds}:unlimited`,
    `--as=${limits.memoryBytes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nproc=${limits.maxProcesses}`,
    "--core=0",
    "--nofile=1024",
  ];
}

function bubblewrapArgs(placement: SandboxPlacement, limits: SandboxLimits): string[] {
  const args = [
    "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
    "--hostname", "sandbox",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/lib", "/lib",
    "--symlink", "usr/bin", "/bin",
    "--symlink", "usr/sbin", "/sbin",
  ];
  if (existsSync("/usr/lib64")) args.push("--symlink", "usr/lib64", "/lib64");
  for (const entry of ETC_ENTRIES) {
    if (existsSync(`/etc/${entry}`)) args.push("--ro-bind", `/etc/${entry}`, `/etc/${entry}`);
  }
  args.push(
    "--proc", "/proc",
    "--dev", "/dev",
    "--size", String(limits.tmpfsBytes), "--tmpfs", "/dev/shm",
    "--size", String(limits.tmpfsBytes), "--tmpfs", "/tmp",
    "--bind", placement.dataDir, SANDBOX_DATA_DIR,
    "--chdir", SANDBOX_DATA_DIR,
    // The root and /dev are tmpfs the sandbox user owns: left writable they would be unbounded RAM.
    "--remount-ro", "/",
    "--remount-ro", "/dev",
    "--clearenv",
  );
  for (const [name, value] of Object.entries(SANDBOX_ENV)) args.push("--setenv", name, value);
  return args;
}

/**
 * The command line that runs `program` confined: setpriv drops to the session's uid (root would ignore
 * RLIMIT_NPROC), prlimit sets the rlimits, bwrap builds the namespaces. Each execs the next, so the spawned
 * pid is bwrap's and killing its process group ends the whole sandbox.
 */
export function sandboxCommand(placement: SandboxPlacement, limits: SandboxLimits, program: string[]): SandboxCommand {
  const confined = ["prlimit", ...rlimitArgs(limits), "--", "bwrap", ...bubblewrapArgs(placement, limits), "--", ...program];
  const env = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" };
  if (placement.uid === undefined) {
    const [command = "prlimit", ...args] = confined;
    return { command, args, env };
  }
  const id = String(placement.uid);
  return { command: "setpriv", args: ["--reuid", id, "--regid", id, "--clear-groups", "--", ...confined], env };
}
