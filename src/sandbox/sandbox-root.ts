import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Whether every directory from `/` down to `directory` (or its nearest existing parent) lets others pass through. */
function passableByOthers(directory: string): boolean {
  let current = path.resolve(directory);
  while (!fs.existsSync(current)) current = path.dirname(current);
  for (;;) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * Where sandbox sessions keep their scratch files: `<dataDir>/sandbox`, unless the sandbox's own user
 * could not reach it (a data dir under `/root`, say); then a private folder under the system temp dir.
 */
export function sandboxRootDir(dataDir: string): string {
  if (passableByOthers(dataDir)) return path.join(dataDir, "sandbox");
  const fallback = fs.mkdtempSync(path.join(os.tmpdir(), "spool-sandbox-"));
  fs.chmodSync(fallback, 0o711);
  return fallback;
}
