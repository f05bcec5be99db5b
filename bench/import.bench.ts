import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exportData } from "../src/cli/exporter.js";
import { importExport } from "../src/cli/importer.js";
import { openStorage } from "../src/cli/open-storage.js";
import { silentProgress } from "../src/cli/progress.js";
import { loadConfig } from "../src/config/config.js";
import { writeSyntheticExport } from "../src/testing/synthetic-export.js";

const THREADS = 10_000;
const MESSAGES_PER_THREAD = 20;
const TARGET_SECONDS = 60;

async function timed<T>(operation: () => Promise<T>): Promise<[seconds: number, result: T]> {
  const started = performance.now();
  const result = await operation();
  return [(performance.now() - started) / 1000, result];
}

/**
 * `spool import` of 10,000 threads × 20 messages (each assistant message with its run and step: 410,001
 * objects) into a fresh SQLite data dir, as the command does it (same storage, one transaction per
 * thread); then the same export again (every object found unchanged), and `spool export` of it all.
 */
export async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), "spool-import-bench-"));
  try {
    const directory = path.join(root, "export");
    writeSyntheticExport(directory, { threads: THREADS, messagesPerThread: MESSAGES_PER_THREAD });
    const storage = await openStorage(loadConfig({ SPOOL_DATA_DIR: path.join(root, "data") }));
    try {
      const options = { store: storage.store, blobs: storage.blobs, directory, dryRun: false, overwrite: false, progress: silentProgress };
      const [seconds, report] = await timed(() => importExport(options));
      const objects = Object.values(report.counts).reduce((sum, counts) => sum + counts.added, 0);
      const verdict = seconds < TARGET_SECONDS ? "within" : "OVER";
      console.log(
        `import of ${THREADS.toLocaleString("en-US")} threads × ${MESSAGES_PER_THREAD} messages (${objects.toLocaleString("en-US")} objects) into SQLite: ` +
          `${seconds.toFixed(1)} s (${Math.round(THREADS / seconds)} threads/s; ${verdict} the ${TARGET_SECONDS} s target)`,
      );
      const [again, repeated] = await timed(() => importExport(options));
      console.log(`the same import again (${repeated.counts.message.unchanged.toLocaleString("en-US")} messages found unchanged): ${again.toFixed(1)} s`);
      const [exported] = await timed(() =>
        exportData({ store: storage.store, blobs: storage.blobs, directory: path.join(root, "again"), threads: "all", progress: silentProgress, exportedBy: "bench" }),
      );
      console.log(`spool export --all of it: ${exported.toFixed(1)} s`);
      console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
    } finally {
      await storage.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
