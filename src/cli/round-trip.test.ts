import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { writeFixtureExport } from "../testing/assistants-export-fixture.js";
import { exportContents } from "../testing/export-contents.js";
import { importInto, openTestStorage, type Backend } from "../testing/command-storage.js";
import { throwawayPostgresForFile } from "../testing/postgres-for-file.js";
import { exportData } from "./exporter.js";
import { silentProgress } from "./progress.js";

const postgres = throwawayPostgresForFile();

const temporary = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Imports `from` into a fresh store of `backend` and exports everything from it again. */
async function through(backend: Backend, from: string): Promise<string> {
  const storage = await openTestStorage(backend, () => postgres.freshDatabase("import"));
  try {
    const report = await importInto(storage, from, { filesDirectory: path.join(from, "files") });
    expect(report.problems).toEqual([]);
    const to = temporary("spool-export-");
    await exportData({ store: storage.store, blobs: storage.blobs, directory: to, threads: "all", progress: silentProgress, exportedBy: "spool test" });
    return to;
  } finally {
    await storage.close();
  }
}

it("exports what it imported: Spool export → import elsewhere (SQLite → Postgres → SQLite) → export is equal", async () => {
  const original = temporary("spool-export-");
  const originals = temporary("spool-originals-");
  writeFixtureExport(original, { originalsDirectory: originals });
  const seeded = await openTestStorage("SQLite", () => postgres.freshDatabase("import"));
  const first = temporary("spool-export-");
  try {
    await importInto(seeded, original, { filesDirectory: originals });
    await exportData({ store: seeded.store, blobs: seeded.blobs, directory: first, threads: "all", progress: silentProgress, exportedBy: "spool test" });
  } finally {
    await seeded.close();
  }
  const viaPostgres = await through("Postgres", first);
  const back = await through("SQLite", viaPostgres);

  const exported = exportContents(first);
  expect(Object.keys(exported).sort()).toEqual([
    "assistants.json",
    "files.json",
    path.join("files", "file-report1", "report.md"),
    path.join("files", "file-sales1", "sales.csv"),
    "manifest.json",
    path.join("threads", "thread_fix001.json"),
    path.join("threads", "thread_long001.json"),
  ]);
  expect(exportContents(viaPostgres)).toEqual(exported);
  expect(exportContents(back)).toEqual(exported);
});
