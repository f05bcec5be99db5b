import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The first directory from `/` down to `directory` (or its nearest existing parent) that others cannot pass through. */
export function closedAncestor(directory: string): string | undefined {
  let current = path.resolve(directory);
  while (!fs.existsSync(current)) current = path.dirname(current);
  const chain: string[] = [];
  for (let next = current; ; next = path.dirname(next)) {
    chain.unshift(next);
    if (path.dirname(next) === next) break;
  }
  return chain.find((entry) => (fs.statSync(entry).mode & 0o001) === 0);
}

export interface SandboxRoot {
  dir: string;
  /** Made for this process in a temp dir: the sandbox removes it when it closes. */
  temporary: boolean;
}

/**
 * Where sandbox sessions keep their scratch files. As root, each session runs as its own uid, and bwrap (run
 * as that uid) must pass through every parent of the scratch dir it binds. So: `<dataDir>/sandbox` when it
 * can; otherwise a fresh folder in the first temp dir it can pass through (a data dir under /root and a
 * private TMPDIR need not stop the code interpreter). When none can be reached, the data dir's is returned
 * and the sandbox's startup probe says why.
 */
export function sandboxRoot(dataDir: string): SandboxRoot {
  const preferred = { dir: path.join(dataDir, "sandbox"), temporary: false };
  if (process.getuid?.() !== 0 || closedAncestor(preferred.dir) === undefined) return preferred;
  const base = [os.tmpdir(), "/tmp", "/var/tmp"].find((candidate) => fs.existsSync(candidate) && closedAncestor(candidate) === undefined);
  if (!base) return preferred;
  const dir = fs.mkdtempSync(path.join(base, "spool-sandbox-"));
  fs.chmodSync(dir, 0o711);
  return { dir, temporary: true };
}
