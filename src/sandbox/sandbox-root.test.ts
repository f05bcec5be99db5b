import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sandboxRootDir } from "./sandbox-root.js";

describe("sandboxRootDir", () => {
  it("uses the data dir when the sandbox user can pass through it", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-open-"));
    fs.chmodSync(dataDir, 0o755);
    expect(sandboxRootDir(dataDir)).toBe(path.join(dataDir, "sandbox"));
  });

  it("falls back to a passable temp folder when a parent of the data dir is private", () => {
    const privateParent = fs.mkdtempSync(path.join(os.tmpdir(), "spool-private-"));
    fs.chmodSync(privateParent, 0o700);
    const root = sandboxRootDir(path.join(privateParent, "data"));
    expect(root.startsWith(os.tmpdir())).toBe(true);
    expect(root.startsWith(privateParent)).toBe(false);
    expect(fs.statSync(root).mode & 0o777).toBe(0o711);
  });
});
