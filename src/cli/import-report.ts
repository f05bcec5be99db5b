import type { Outcome } from "./put-object.js";

export const objectKinds = ["assistant", "thread", "message", "run", "step", "file"] as const;
export type ObjectKind = (typeof objectKinds)[number];

/** Everything an import did and found; printed by `spool import`, and written whole with `--report FILE`. */
export interface ImportReport {
  directory: string;
  dryRun: boolean;
  counts: Record<ObjectKind, Record<Outcome, number>>;
  /** Ids already here with other content, left alone (or replaced, with --overwrite: then not listed). */
  conflicts: { kind: ObjectKind; id: string; threadId?: string }[];
  /** Runs live when exported, stored as `expired`. */
  expiredRuns: { threadId: string; runId: string; status: string }[];
  /** Threads the exporter could not export (deleted, not found). */
  notExported: { threadId: string; error: string }[];
  /** Input that could not be imported (a bad file, a failed write), naming the file. */
  problems: { file: string; problem: string }[];
  /** Files whose bytes were uploaded from the --files directory. */
  uploaded: { fileId: string; path: string }[];
  /** Files kept as metadata only: no bytes here and none found to upload. */
  withoutBytes: { fileId: string; filename: string; note?: string }[];
  /** Files named by the export's objects whose metadata is neither in the export nor here. */
  missingFiles: { fileId: string; referencedBy: string; reason?: string }[];
  /** Assistants named by runs or messages that are neither in the export nor here. */
  missingAssistants: { assistantId: string; referencedBy: string }[];
  /** Vector stores named in `tool_resources` (the export has none): recreated under their id. */
  vectorStores: { id: string; created: boolean; added: string[]; withoutBytes: string[] }[];
}

export function emptyReport(directory: string, dryRun: boolean): ImportReport {
  const counts = Object.fromEntries(objectKinds.map((kind) => [kind, { added: 0, unchanged: 0, overwritten: 0, conflict: 0 }]));
  return {
    directory,
    dryRun,
    counts: counts as ImportReport["counts"],
    conflicts: [],
    expiredRuns: [],
    notExported: [],
    problems: [],
    uploaded: [],
    withoutBytes: [],
    missingFiles: [],
    missingAssistants: [],
    vectorStores: [],
  };
}

export function countOutcome(report: ImportReport, kind: ObjectKind, id: string, outcome: Outcome, threadId?: string): void {
  report.counts[kind][outcome] += 1;
  if (outcome === "conflict") report.conflicts.push({ kind, id, ...(threadId ? { threadId } : {}) });
}

const plural: Record<ObjectKind, string> = { assistant: "assistants", thread: "threads", message: "messages", run: "runs", step: "run steps", file: "files" };
/** Longer lists are cut here in the printed report; --report FILE has them whole. */
const shownPerList = 20;

function section<T>(lines: string[], title: string, items: readonly T[], render: (item: T) => string): void {
  if (items.length === 0) return;
  lines.push("", `${title} (${items.length}):`);
  for (const item of items.slice(0, shownPerList)) lines.push(`  ${render(item)}`);
  if (items.length > shownPerList) lines.push(`  … and ${items.length - shownPerList} more (--report FILE lists them all)`);
}

export function renderReport(report: ImportReport): string {
  const lines = [report.dryRun ? `Dry run of importing ${report.directory}: nothing was written.` : `Imported ${report.directory}.`, ""];
  for (const kind of objectKinds) {
    const { added, unchanged, overwritten, conflict } = report.counts[kind];
    lines.push(`  ${plural[kind].padEnd(11)} ${added} added, ${unchanged} unchanged, ${overwritten} overwritten, ${conflict} left alone`);
  }
  section(lines, "Already here with different content, left alone (--overwrite replaces them)", report.conflicts, (conflict) =>
    `${conflict.kind} ${conflict.id}${conflict.threadId && conflict.threadId !== conflict.id ? ` (in ${conflict.threadId})` : ""}`,
  );
  section(lines, "Runs still live when exported, imported as expired", report.expiredRuns, (run) => `${run.runId} in ${run.threadId} (was ${run.status})`);
  section(lines, "Threads the export could not include", report.notExported, (thread) => `${thread.threadId}: ${thread.error}`);
  section(lines, "Problems: not imported", report.problems, (problem) => `${problem.file}: ${problem.problem}`);
  section(lines, "Files uploaded from --files", report.uploaded, (file) => `${file.fileId} ← ${file.path}`);
  section(lines, "Files without bytes (metadata only; re-upload the originals with --files DIR)", report.withoutBytes, (file) =>
    `${file.fileId} ${file.filename}${file.note ? ` — ${file.note}` : ""}`,
  );
  section(lines, "Missing files (named, but not in the export)", report.missingFiles, (file) =>
    `${file.fileId}, named by ${file.referencedBy}${file.reason ? ` (${file.reason})` : ""}`,
  );
  section(lines, "Missing assistants (named, but not in the export)", report.missingAssistants, (assistant) => `${assistant.assistantId}, named by ${assistant.referencedBy}`);
  section(lines, "Vector stores (not in the export) recreated under their ids", report.vectorStores, (store) => {
    const state = store.created ? "created" : "already here";
    const added = store.added.length > 0 ? `, ${store.added.length} ${store.added.length === 1 ? "file" : "files"} queued for ingestion (${store.added.join(", ")})` : ", no files added";
    const missing = store.withoutBytes.length > 0 ? `; without bytes, not added: ${store.withoutBytes.join(", ")}` : "";
    return `${store.id}: ${state}${added}${missing}`;
  });
  return `${lines.join("\n")}\n`;
}
