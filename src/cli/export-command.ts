import fsp from "node:fs/promises";
import { loadConfig } from "../config/config.js";
import { parseCommand } from "./command-line.js";
import { exitCodes, UsageError } from "./exit-codes.js";
import { projectStore } from "./project-option.js";
import { exportData } from "./exporter.js";
import { openStorage } from "./open-storage.js";
import { createProgress } from "./progress.js";
import { spoolVersion } from "./version.js";

const command = {
  name: "export",
  options: { threads: { type: "string" }, all: { type: "boolean" }, project: { type: "string" } },
  help: `Usage: spool export DIR (--threads ID,ID,… | --all) [--project ID]

Writes assistants and threads from the storage the server uses with the same settings (SPOOL_DATA_DIR,
or SPOOL_DATABASE_URL) in the assistants-api-export format, plus the Files' bytes under DIR/files/, so
\`spool import DIR\` on another Spool restores them with every id: for moving servers and for backups.
Safe while the server runs.

  DIR              a new or empty directory
  --threads IDS    the threads to export, comma-separated
  --all            every thread
  --project ID     export from this project (default: the default project, proj_default)

Every assistant of the project is exported. Vector stores are not: an import recreates the ones tool_resources name.

Exit status: 0 done; 1 some requested threads are not here (listed in manifest.json); 2 wrong command
line or settings.
`,
} as const;

const threadIdPattern = /^[A-Za-z0-9_-]+$/;

async function isEmptyOrAbsent(directory: string): Promise<boolean> {
  return fsp.readdir(directory).then(
    (entries) => entries.length === 0,
    (error: unknown) => error instanceof Error && "code" in error && error.code === "ENOENT",
  );
}

function threadSelection(values: { threads?: string | undefined; all?: boolean | undefined }): "all" | string[] {
  if (values.all && values.threads !== undefined) throw new UsageError("spool export: give --threads or --all, not both");
  if (values.all) return "all";
  if (values.threads === undefined) throw new UsageError("spool export: say which threads: --threads thread_a,thread_b or --all");
  const ids = [...new Set(values.threads.split(",").map((id) => id.trim()).filter((id) => id.length > 0))];
  if (ids.length === 0) throw new UsageError("spool export: --threads needs at least one thread id");
  const bad = ids.find((id) => !threadIdPattern.test(id));
  if (bad !== undefined) throw new UsageError(`spool export: '${bad}' is not a thread id`);
  return ids;
}

export async function runExport(args: string[]): Promise<number> {
  const parsed = parseCommand(command, args);
  if (!parsed) {
    process.stdout.write(command.help);
    return exitCodes.ok;
  }
  const [directory, ...extra] = parsed.positionals;
  if (!directory || extra.length > 0) throw new UsageError("spool export: give exactly one directory to write to");
  const threads = threadSelection(parsed.values);
  if (!(await isEmptyOrAbsent(directory))) throw new UsageError(`spool export: ${directory} is not empty; give a new or empty directory`);

  const storage = await openStorage(loadConfig());
  try {
    process.stderr.write(`Exporting from ${storage.location}\n`);
    const summary = await exportData({
      store: await projectStore(storage.store, "export", parsed.values.project),
      blobs: storage.blobs,
      directory,
      threads,
      progress: createProgress(process.stderr),
      exportedBy: `spool ${spoolVersion()}`,
    });
    const lines = [`Exported ${summary.assistants} assistants, ${summary.threads} threads and ${summary.files} files to ${directory}.`];
    if (summary.withoutBytes.length > 0) lines.push(`Files without bytes here (metadata only): ${summary.withoutBytes.join(", ")}`);
    for (const failure of summary.failed) lines.push(`Not exported: ${failure.threadId} (${failure.error})`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return summary.failed.length > 0 ? exitCodes.failed : exitCodes.ok;
  } finally {
    await storage.close();
  }
}
