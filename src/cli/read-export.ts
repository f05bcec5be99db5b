import fsp from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  assistantSchema,
  filesMapSchema,
  manifestSchema,
  threadExportSchema,
  type ExportedAssistant,
  type ExportedFile,
  type ThreadExport,
} from "./export-format.js";

/** Input that cannot be imported: names the file (relative to the export directory) and the field. */
export class ExportInputError extends Error {
  override name = "ExportInputError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** `["messages", 3, "content", 0]` → `messages[3].content[0]`. */
function fieldName(path: readonly PropertyKey[]): string {
  let name = "";
  for (const key of path) {
    if (typeof key === "number") name += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) name += name === "" ? String(key) : `.${String(key)}`;
    else name += `[${JSON.stringify(String(key))}]`;
  }
  return name;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const [first, ...rest] = issues;
  if (!first) return "invalid";
  const field = fieldName(first.path);
  const more = rest.length > 0 ? ` (and ${rest.length} more ${rest.length === 1 ? "problem" : "problems"})` : "";
  return `${field ? `${field}: ` : ""}${first.message}${more}`;
}

/**
 * Checks `value` against `schema` and returns `value` itself: the schemas transform nothing, so the checked
 * input is already the output, and keeping it keeps the export's own key order and every unknown field.
 */
function validated<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ExportInputError(file, describeIssues(result.error.issues));
  return value as z.output<S>;
}

async function readJson(directory: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(directory, file), "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    throw new ExportInputError(file, code === "ENOENT" ? "not found" : `cannot be read (${String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ExportInputError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)}); is it cut short?`);
  }
}

async function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(
    () => true,
    () => false,
  );
}

export interface ExportDirectory {
  /** Thread ids the exporter could not export, with its reason. */
  failedThreads: { threadId: string; error: string }[];
  assistants: ExportedAssistant[];
  /** Spool's `files.json`: the Files its assistants name; empty for the exporter's output. */
  assistantFiles: Record<string, ExportedFile>;
  /** `threads/*.json`, relative to the directory, in name order. */
  threadFiles: string[];
}

/** Reads and checks everything but the thread files, which `readThreadExport` reads one at a time. */
export async function openExportDirectory(directory: string): Promise<ExportDirectory> {
  if (!(await exists(path.join(directory, "manifest.json")))) {
    throw new ExportInputError("manifest.json", `not found in ${directory}; is it the directory an export was written to?`);
  }
  const manifest = validated(manifestSchema, await readJson(directory, "manifest.json"), "manifest.json");
  // The exporter leaves assistants.json out with --no-assistants.
  const assistants = (await exists(path.join(directory, "assistants.json")))
    ? validated(z.array(assistantSchema), await readJson(directory, "assistants.json"), "assistants.json")
    : [];
  const assistantFiles = (await exists(path.join(directory, "files.json")))
    ? validated(filesMapSchema, await readJson(directory, "files.json"), "files.json")
    : {};
  const threadsDirectory = path.join(directory, "threads");
  const names = (await exists(threadsDirectory)) ? await fsp.readdir(threadsDirectory) : [];
  return {
    failedThreads: (manifest.threads_failed ?? []).map((failure) => ({ threadId: failure.thread_id, error: failure.error ?? "unknown" })),
    assistants,
    assistantFiles,
    threadFiles: names.filter((name) => name.endsWith(".json")).sort().map((name) => `threads/${name}`),
  };
}

export async function readThreadExport(directory: string, file: string): Promise<ThreadExport> {
  return validated(threadExportSchema, await readJson(directory, file), file);
}
