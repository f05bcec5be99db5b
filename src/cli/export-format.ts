import { z } from "zod";
import { runStatuses } from "../domain/objects.js";

/**
 * The directory format of the MIT `assistants-api-export` script (github.com/redwoodworksco/assistants-api-export),
 * which `spool import` reads and `spool export` writes:
 *
 *   manifest.json             export_schema "assistants-export-manifest/v1", counts, threads_failed, notes
 *   assistants.json           the assistant objects, as the API returned them
 *   threads/<thread_id>.json  export_schema "assistants-thread-export/v1", thread_id, exported_at, thread,
 *                             messages (ascending), runs (each with its steps), files (id → File object), errors
 *
 * Spool's export adds `files.json` (the Files its assistants name, id → File object) and `files/<id>/<name>`
 * (the bytes). The schemas check what Spool relies on and let every other field through unchanged: the
 * objects are stored as the export holds them.
 */
export const manifestSchemaName = "assistants-export-manifest/v1";
export const threadSchemaName = "assistants-thread-export/v1";

const id = z.string().min(1);
const timestamp = z.number().int();
const metadata = z.record(z.string(), z.unknown()).nullable().optional();

const toolResources = z
  .looseObject({
    code_interpreter: z.looseObject({ file_ids: z.array(id).optional() }).nullable().optional(),
    file_search: z.looseObject({ vector_store_ids: z.array(id).optional() }).nullable().optional(),
  })
  .nullable()
  .optional();

const tool = z
  .looseObject({ type: z.enum(["code_interpreter", "file_search", "function"]), function: z.looseObject({ name: z.string() }).optional() })
  .refine((value) => value.type !== "function" || value.function !== undefined, { message: "a function tool needs 'function'", path: ["function"] });

const responseFormat = z
  .union([
    z.literal("auto"),
    z.looseObject({ type: z.enum(["text", "json_object"]) }),
    z.looseObject({ type: z.literal("json_schema"), json_schema: z.looseObject({ name: z.string() }) }),
  ])
  .nullable()
  .optional();

/** A part that names its type must carry the object of that name (`{type: "text", text: {…}}`). */
function requireNamedField<T extends { type: string }>(names: readonly string[]) {
  return (value: T, context: z.core.$RefinementCtx<T>) => {
    if (names.includes(value.type) && (value as Record<string, unknown>)[value.type] === undefined) {
      context.addIssue({ code: "custom", path: [value.type], message: `a '${value.type}' entry needs '${value.type}'` });
    }
  };
}

const annotation = z
  .looseObject({
    type: z.enum(["file_citation", "file_path"]),
    text: z.string().optional(),
    file_citation: z.looseObject({ file_id: id }).optional(),
    file_path: z.looseObject({ file_id: id }).optional(),
  })
  .superRefine(requireNamedField(["file_citation", "file_path"]));

const contentPart = z
  .looseObject({
    type: z.enum(["text", "image_file", "image_url", "refusal"]),
    text: z.looseObject({ value: z.string(), annotations: z.array(annotation) }).optional(),
    image_file: z.looseObject({ file_id: id }).optional(),
    image_url: z.looseObject({ url: z.string() }).optional(),
  })
  .superRefine(requireNamedField(["text", "image_file", "image_url", "refusal"]));

const codeInterpreterOutput = z
  .looseObject({ type: z.enum(["logs", "image"]), image: z.looseObject({ file_id: id }).optional() })
  .superRefine(requireNamedField(["image"]));

const toolCall = z
  .looseObject({
    id: z.string(),
    type: z.enum(["code_interpreter", "file_search", "function"]),
    code_interpreter: z.looseObject({ input: z.string(), outputs: z.array(codeInterpreterOutput) }).optional(),
    function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
  })
  .superRefine(requireNamedField(["code_interpreter", "function"]));

export const assistantSchema = z.looseObject({
  id,
  object: z.literal("assistant"),
  created_at: timestamp,
  model: z.string(),
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).nullable().optional(),
  tool_resources: toolResources,
  metadata,
  temperature: z.number().nullable().optional(),
  top_p: z.number().nullable().optional(),
  response_format: responseFormat,
  file_ids: z.array(id).optional(),
});

export const threadSchema = z.looseObject({ id, object: z.literal("thread"), created_at: timestamp, metadata, tool_resources: toolResources });

export const messageSchema = z.looseObject({
  id,
  object: z.literal("thread.message"),
  created_at: timestamp,
  thread_id: id,
  role: z.enum(["user", "assistant"]),
  status: z.enum(["in_progress", "incomplete", "completed"]).optional(),
  content: z.array(contentPart),
  attachments: z.array(z.looseObject({ file_id: id, tools: z.array(z.looseObject({ type: z.enum(["code_interpreter", "file_search"]) })) })).nullable().optional(),
  assistant_id: id.nullable().optional(),
  run_id: id.nullable().optional(),
  metadata,
  file_ids: z.array(id).optional(),
});

export const stepSchema = z.looseObject({
  id,
  object: z.literal("thread.run.step"),
  created_at: timestamp,
  run_id: id,
  type: z.enum(["message_creation", "tool_calls"]),
  status: z.enum(["in_progress", "cancelled", "failed", "completed", "expired"]),
  step_details: z
    .looseObject({
      type: z.enum(["message_creation", "tool_calls"]),
      message_creation: z.looseObject({ message_id: id }).optional(),
      tool_calls: z.array(toolCall).optional(),
    })
    .superRefine(requireNamedField(["message_creation", "tool_calls"])),
  metadata,
});

export const runSchema = z.looseObject({
  id,
  object: z.literal("thread.run"),
  created_at: timestamp,
  thread_id: id,
  assistant_id: id,
  status: z.enum(runStatuses),
  model: z.string().optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).nullable().optional(),
  metadata,
  response_format: responseFormat,
  steps: z.array(stepSchema).optional(),
});

export const fileSchema = z.looseObject({
  // The id names the file's bytes in the blob store, which takes letters, digits, '-' and '_'.
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, "must be letters, digits, '-' and '_'"),
  object: z.literal("file"),
  bytes: z.number().int().min(0),
  created_at: timestamp,
  filename: z.string(),
  purpose: z.string(),
});

/** File objects by id; each key must be its object's id. */
export const filesMapSchema = z.record(z.string(), fileSchema).superRefine((files, context) => {
  for (const [key, file] of Object.entries(files)) {
    if (file.id !== key) context.addIssue({ code: "custom", path: [key, "id"], message: `is '${file.id}', expected the key '${key}'` });
  }
});

export const manifestSchema = z.looseObject({
  export_schema: z.literal(manifestSchemaName),
  threads_failed: z.array(z.looseObject({ thread_id: z.string(), error: z.string().optional() })).optional(),
});

export const threadExportSchema = z.looseObject({
  export_schema: z.literal(threadSchemaName),
  thread_id: id,
  exported_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be a date and time (ISO 8601)"),
  // null when the thread could not be exported (deleted); `errors` then says why.
  thread: threadSchema.nullable(),
  messages: z.array(messageSchema),
  runs: z.array(runSchema),
  files: filesMapSchema,
  errors: z.array(z.looseObject({ error: z.string().optional() })).optional(),
}).superRefine((record, context) => {
  const mismatch = (path: (string | number)[], actual: string, expected: string) => {
    if (actual !== expected) context.addIssue({ code: "custom", path, message: `is '${actual}', expected '${expected}'` });
  };
  if (record.thread) mismatch(["thread", "id"], record.thread.id, record.thread_id);
  for (const [position, message] of record.messages.entries()) mismatch(["messages", position, "thread_id"], message.thread_id, record.thread_id);
  for (const [position, run] of record.runs.entries()) {
    mismatch(["runs", position, "thread_id"], run.thread_id, record.thread_id);
    for (const [index, step] of (run.steps ?? []).entries()) mismatch(["runs", position, "steps", index, "run_id"], step.run_id, run.id);
  }
});

export type ExportedAssistant = z.output<typeof assistantSchema>;
export type ExportedThread = z.output<typeof threadSchema>;
export type ExportedMessage = z.output<typeof messageSchema>;
export type ExportedRun = z.output<typeof runSchema>;
export type ExportedStep = z.output<typeof stepSchema>;
export type ExportedFile = z.output<typeof fileSchema>;
export type ThreadExport = z.output<typeof threadExportSchema>;
