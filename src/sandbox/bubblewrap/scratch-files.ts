import { constants, createWriteStream } from "node:fs";
import type { Dirent } from "node:fs";
import { lstat, mkdir, open, readdir, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";

/** Bounds the host's work when a cell creates a huge tree. */
const MAX_SCANNED_ENTRIES = 10_000;

interface FileVersion {
  size: bigint;
  mtimeNs: bigint;
  ino: bigint;
}

/** Regular files under a scratch dir by relative name, as the host saw them. */
export type ScratchSnapshot = Map<string, FileVersion>;

export class InvalidFileNameError extends Error {
  override name = "InvalidFileNameError";
}

/** Accepts "x.csv", "dir/x.csv" or "/mnt/data/x.csv"; rejects names that leave /mnt/data. */
export function dataFileName(name: string): string {
  const relative = name.startsWith("/mnt/data/") ? name.slice("/mnt/data/".length) : name;
  const normalized = path.posix.normalize(relative);
  const escapes = normalized === "." || normalized === ".." || normalized.startsWith("../") || path.posix.isAbsolute(normalized);
  if (relative.length === 0 || relative.includes("\0") || escapes || normalized.endsWith("/")) {
    throw new InvalidFileNameError(`invalid sandbox file name: ${JSON.stringify(name)}`);
  }
  return normalized;
}

/** Lists regular files without following symlinks; what it reports is only a hint, re-checked when copied. */
export async function scanScratch(dataDir: string): Promise<ScratchSnapshot> {
  const snapshot: ScratchSnapshot = new Map();
  let visited = 0;
  const walk = async (relative: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(dataDir, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++visited > MAX_SCANNED_ENTRIES) return;
      const name = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        await walk(name);
      } else if (entry.isFile()) {
        const stats = await lstat(path.join(dataDir, name), { bigint: true }).catch(() => undefined);
        if (stats?.isFile()) snapshot.set(name, { size: stats.size, mtimeNs: stats.mtimeNs, ino: stats.ino });
      }
    }
  };
  await walk("");
  return snapshot;
}

/** Names present in `after` that are new or changed since `before`, sorted. */
export function changedFiles(before: ScratchSnapshot, after: ScratchSnapshot): string[] {
  const changed: string[] = [];
  for (const [name, version] of after) {
    const previous = before.get(name);
    if (!previous || previous.size !== version.size || previous.mtimeNs !== version.mtimeNs || previous.ino !== version.ino) {
      changed.push(name);
    }
  }
  return changed.sort();
}

/**
 * Copies `name` from the sandbox-writable scratch dir to `destinationDir`, which the sandbox cannot see,
 * and returns the copy's path and size. The sandboxed code may swap a file or directory for a symlink at
 * any moment, so the check is made on the opened descriptor: it must be a regular file whose real path is
 * still inside the scratch dir. Returns undefined when it is not.
 */
export async function copyOutOfScratch(dataDir: string, name: string, destinationDir: string, maxBytes: number): Promise<{ hostPath: string; bytes: number } | undefined> {
  const realDataDir = await realpath(dataDir);
  const handle = await open(path.join(dataDir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const openedPath = await readlink(`/proc/self/fd/${handle.fd}`);
    const stats = await handle.stat();
    if (!stats.isFile() || !openedPath.startsWith(realDataDir + path.sep)) return undefined;
    const hostPath = path.join(destinationDir, name);
    await mkdir(path.dirname(hostPath), { recursive: true, mode: 0o700 });
    const source = handle.createReadStream({ start: 0, end: Math.max(0, maxBytes - 1), autoClose: false });
    const destination = createWriteStream(hostPath, { flags: "wx", mode: 0o600 });
    await pipeline(source, destination);
    return { hostPath, bytes: destination.bytesWritten };
  } finally {
    await handle.close();
  }
}
