import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closedAncestor, sandboxRoot } from "./sandbox-root.js";

const made: string[] = [];
const tempDir = (mode: number) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-root-test-"));
  fs.chmodSync(dir, mode);
  made.push(dir);
  return dir;
};
const tmpdirBefore = process.env["TMPDIR"];

afterEach(() => {
  process.env["TMPDIR"] = tmpdirBefore;
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

// Only root runs sessions under other uids, for which a private parent matters.
const asRoot = process.getuid?.() === 0;

describe("sandboxRoot", () => {
  it("uses the data dir when the sandbox uid can pass through it", () => {
    const dataDir = tempDir(0o755);
    expect(sandboxRoot(dataDir)).toEqual({ dir: path.join(dataDir, "sandbox"), temporary: false });
  });

  it.runIf(asRoot)("falls back to a passable folder in the temp dir when a parent of the data dir is private", () => {
    const privateParent = tempDir(0o700);
    const root = sandboxRoot(path.join(privateParent, "data"));
    made.push(root.dir);
    expect(root.temporary).toBe(true);
    expect(path.dirname(root.dir)).toBe(os.tmpdir());
    expect(fs.statSync(root.dir).mode & 0o777).toBe(0o711);
  });

  it.runIf(asRoot)("passes over a private TMPDIR too", () => {
    const privateParent = tempDir(0o700);
    process.env["TMPDIR"] = tempDir(0o700);
    const root = sandboxRoot(path.join(privateParent, "data"));
    made.push(root.dir);
    expect(root.temporary).toBe(true);
    expect(path.dirname(root.dir)).toBe("/tmp");
    expect(closedAncestor(root.dir)).toBeUndefined();
  });
});

describe("closedAncestor", () => {
  it("names the first directory others cannot pass through, also for paths not made yet", () => {
    const open = tempDir(0o711);
    fs.mkdirSync(path.join(open, "private"), { mode: 0o700 });
    expect(closedAncestor(path.join(open, "private", "data", "sandbox"))).toBe(path.join(open, "private"));
    expect(closedAncestor(path.join(open, "missing", "sandbox"))).toBeUndefined();
  });
});
