import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Every test run gets its own temp dir, removed when the run ends, so nothing a test or a server under test
 * leaves in the temp dir outlives the run. 0711: other users (the sandbox's uids, `postgres`) may pass
 * through it to their own folders but not list it.
 */
export default function setup(): () => void {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-tests-"));
  fs.chmodSync(runDir, 0o711);
  process.env["TMPDIR"] = runDir;
  return () => fs.rmSync(runDir, { recursive: true, force: true });
}
