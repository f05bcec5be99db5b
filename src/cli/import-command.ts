import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config/config.js";
import { parseCommand } from "./command-line.js";
import { exitCodes, UsageError } from "./exit-codes.js";
import { importExport } from "./importer.js";
import { renderReport, type ImportReport } from "./import-report.js";
import { openStorage } from "./open-storage.js";
import { projectStore } from "./project-option.js";
import { createProgress } from "./progress.js";
import { ExportInputError } from "./read-export.js";

const command = {
  name: "import",
  options: {
    files: { type: "string" },
    "dry-run": { type: "boolean" },
    overwrite: { type: "boolean" },
    report: { type: "string" },
    project: { type: "string" },
  },
  help: `Usage: spool import DIR [--files DIR] [--project ID] [--dry-run] [--overwrite] [--report FILE]

Imports an export written by the assistants-api-export script (or by \`spool export\`) into the storage the
server uses with the same settings (SPOOL_DATA_DIR, or SPOOL_DATABASE_URL), keeping every id, so apps that
stored thread and assistant ids carry on. Safe while the server runs; importing the same export again
changes nothing.

  DIR             the export: manifest.json, assistants.json, threads/<thread_id>.json
  --files DIR     the original files, to upload again under their File ids: matched by a folder named
                  by the id, else by filename and size (default: DIR/files, which \`spool export\` writes)
  --project ID    import into this project (default: the default project, proj_default); an id already
                  used in another project cannot be imported again (that thread is reported)
  --dry-run       check everything and report what would happen; write nothing
  --overwrite     replace objects already here under the same id with other content (default: leave them)
  --report FILE   also write the whole report as JSON to FILE

Runs still live when exported are imported as expired. Vector stores named in tool_resources (the export
has none) are recreated under their ids, with the files known to be in them queued for ingestion.

Exit status: 0 done; 1 some input could not be imported (listed); 2 wrong command line or settings;
3 done, but ids already here with other content were left alone (listed; see --overwrite).
`,
} as const;

function exitCodeOf(report: ImportReport): number {
  if (report.problems.length > 0) return exitCodes.failed;
  if (report.conflicts.length > 0) return exitCodes.conflicts;
  return exitCodes.ok;
}

async function isDirectory(directory: string): Promise<boolean> {
  return fsp.stat(directory).then(
    (stat) => stat.isDirectory(),
    () => false,
  );
}

export async function runImport(args: string[]): Promise<number> {
  const parsed = parseCommand(command, args);
  if (!parsed) {
    process.stdout.write(command.help);
    return exitCodes.ok;
  }
  const [directory, ...extra] = parsed.positionals;
  if (!directory || extra.length > 0) throw new UsageError("spool import: give exactly one export directory");
  if (!(await isDirectory(directory))) throw new UsageError(`spool import: ${directory} is not a directory`);
  const given = parsed.values.files;
  if (given !== undefined && !(await isDirectory(given))) throw new UsageError(`spool import: --files ${given} is not a directory`);
  const defaultFiles = path.join(directory, "files");
  const filesDirectory = given ?? ((await isDirectory(defaultFiles)) ? defaultFiles : undefined);
  if (given === undefined && filesDirectory) process.stderr.write(`Uploading file bytes from ${filesDirectory}\n`);

  const config = loadConfig();
  const storage = await openStorage(config);
  try {
    process.stderr.write(`Importing into ${storage.location}\n`);
    const report = await importExport({
      store: await projectStore(storage.store, "import", parsed.values.project),
      blobs: storage.blobs,
      directory,
      ...(filesDirectory ? { filesDirectory } : {}),
      dryRun: parsed.values["dry-run"] === true,
      overwrite: parsed.values.overwrite === true,
      progress: createProgress(process.stderr),
    });
    process.stdout.write(renderReport(report));
    if (parsed.values.report) fs.writeFileSync(parsed.values.report, `${JSON.stringify(report, null, 2)}\n`);
    return exitCodeOf(report);
  } catch (error) {
    if (!(error instanceof ExportInputError)) throw error;
    process.stderr.write(`spool import: ${error.message}\nNothing was imported.\n`);
    return exitCodes.failed;
  } finally {
    await storage.close();
  }
}
