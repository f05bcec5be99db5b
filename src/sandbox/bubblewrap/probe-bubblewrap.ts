import fs from "node:fs";
import { chown, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { SandboxLimits } from "../sandbox-limits.js";
import { closedAncestor } from "../sandbox-root.js";
import { runConfined } from "./run-confined.js";
import { PYTHON_PATH, sandboxCommand } from "./sandbox-command.js";
import type { UidPool } from "./uid-pool.js";

const PROBE_TIMEOUT_MS = 30_000;
const PROBE_SCRIPT = "import numpy, pandas, matplotlib\nopen('/mnt/data/probe', 'w').write('ok')";

/** Why the sandbox uid cannot reach `rootDir`, if that is so: the one cause of a failed probe worth naming. */
function unreachable(rootDir: string, uid: number | undefined): string {
  const closed = uid === undefined ? undefined : closedAncestor(rootDir);
  return closed === undefined ? "" : `; the sandbox uid cannot pass through ${closed} (mode ${(fs.statSync(closed).mode & 0o777).toString(8)}) to reach ${rootDir}`;
}

/**
 * Runs the libraries a session needs once, confined exactly like a session; returns what is wrong, or
 * undefined. The answer is one line: the server logs it once at startup.
 */
export async function probeBubblewrap(rootDir: string, limits: SandboxLimits, uids: UidPool | undefined): Promise<string | undefined> {
  const probeDir = path.join(rootDir, "probe");
  const uid = uids?.take();
  try {
    await mkdir(probeDir, { mode: 0o700 });
    if (uid !== undefined) await chown(probeDir, uid, uid);
    const command = sandboxCommand({ dataDir: probeDir, uid }, limits, [PYTHON_PATH, "-c", PROBE_SCRIPT]);
    const { code, stderr } = await runConfined(command, new Uint8Array(), PROBE_TIMEOUT_MS);
    if (code !== 0) {
      return `running ${PYTHON_PATH} (with numpy, pandas, matplotlib) under bubblewrap failed with exit code ${code}: ${stderr.replace(/\s+/g, " ") || "no output"}`
        + ` (needs bwrap, setpriv and prlimit on PATH and unprivileged user namespaces${unreachable(rootDir, uid)})`;
    }
    const written = await readFile(path.join(probeDir, "probe"), "utf8").catch(() => "");
    if (written !== "ok") return "the sandbox could not write to its scratch dir";
    return undefined;
  } catch (error) {
    return `cannot run bubblewrap: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await rm(probeDir, { recursive: true, force: true });
    if (uid !== undefined) uids?.release(uid);
  }
}
