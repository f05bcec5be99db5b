import { access, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * A line of Python that writes the file `name` into the session's /mnt/data. A cell reports nothing until it
 * ends, so a test that must act while a cell runs has the cell write this first and waits for the file.
 */
export function writeMarker(name: string): string {
  return `open('/mnt/data/${name}', 'w').close()`;
}

/** Whether a cell of any bubblewrap session under one of `sandboxRoots` wrote the marker `name` (see `writeMarker`). */
export async function markerWritten(sandboxRoots: string[], name: string): Promise<boolean> {
  const scratchDirs = await Promise.all(
    sandboxRoots.map(async (root) => (await readdir(root).catch(() => [])).map((session) => path.join(root, session, "data"))),
  );
  const found = await Promise.all(scratchDirs.flat().map((dir) => access(path.join(dir, name)).then(() => true, () => false)));
  return found.includes(true);
}

/**
 * Where a server with this data dir may keep its sandbox sessions: `<dataDir>/sandbox`, or a temp dir of its
 * own when its uids cannot pass through the data dir (see `sandboxRoot`), which only the server knows; so
 * every such temp dir. A marker name unique to the test tells them apart.
 */
export async function candidateSandboxRoots(dataDir: string): Promise<string[]> {
  const temporary = (await readdir(os.tmpdir())).filter((entry) => entry.startsWith("spool-sandbox-"));
  return [path.join(dataDir, "sandbox"), ...temporary.map((entry) => path.join(os.tmpdir(), entry))];
}
