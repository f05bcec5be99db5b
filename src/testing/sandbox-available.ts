import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createBubblewrapSandbox } from "../sandbox/bubblewrap/bubblewrap-sandbox.js";

/** Whether the code interpreter's sandbox can run here (tests that need it are skipped otherwise). */
export async function bubblewrapAvailable(): Promise<boolean> {
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-probe-"));
  try {
    const probe = await createBubblewrapSandbox({ rootDir: probeDir });
    await probe.close();
    return probe.status.available;
  } finally {
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}
