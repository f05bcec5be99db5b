import fs from "node:fs";
import path from "node:path";

/**
 * Export directories shaped like those the assistants-api-export script writes (its export_thread and
 * its test fixtures: API objects as returned, messages ascending across pages, runs with their steps, a
 * `files` map of metadata, file errors, failed threads in the manifest), for import tests and benchmarks.
 */

type Json = Record<string, unknown>;

export const fixtureIds = {
  assistant: "asst_fix001",
  thread: "thread_fix001",
  longThread: "thread_long001",
  goneThread: "thread_gone001",
  completedRun: "run_fix001",
  liveRun: "run_fix002",
  assistantStore: "vs_asst001",
  threadStore: "vs_thread001",
} as const;

/** The originals a user kept, by filename: what `--files` re-uploads. */
export const originalFiles: Record<string, string> = {
  "sales.csv": "month,sales\n1,10\n2,14\n3,19\n",
  "report.md": "# Quarterly report\n\nRevenue grew 12% in the third quarter, driven by the Busan stores.\n",
};

export function fileObject(id: string, filename: string, bytes: number, purpose = "assistants", createdAt = 1699017610): Json {
  return { id, object: "file", bytes, created_at: createdAt, filename, purpose, status: "processed", status_details: null };
}

const sizeOf = (name: string) => Buffer.byteLength(originalFiles[name] ?? "");

export function assistantObject(overrides: Json = {}): Json {
  return {
    id: fixtureIds.assistant,
    object: "assistant",
    created_at: 1699009709,
    name: "Data Analyst",
    description: null,
    model: "gpt-4o",
    instructions: "You analyse the user's data and answer briefly.",
    tools: [{ type: "code_interpreter" }, { type: "file_search", file_search: { max_num_results: 5 } }],
    tool_resources: { code_interpreter: { file_ids: ["file-handbook1"] }, file_search: { vector_store_ids: [fixtureIds.assistantStore] } },
    metadata: { team: "analytics" },
    temperature: 1.0,
    top_p: 1.0,
    response_format: "auto",
    ...overrides,
  };
}

function message(id: string, createdAt: number, role: "user" | "assistant", content: Json[], extra: Json = {}): Json {
  return {
    id,
    object: "thread.message",
    created_at: createdAt,
    assistant_id: role === "assistant" ? fixtureIds.assistant : null,
    thread_id: fixtureIds.thread,
    run_id: role === "assistant" ? fixtureIds.completedRun : null,
    role,
    content,
    attachments: [],
    metadata: {},
    status: "completed",
    incomplete_details: null,
    completed_at: role === "assistant" ? createdAt : null,
    incomplete_at: null,
    ...extra,
  };
}

const text = (value: string, annotations: Json[] = []): Json => ({ type: "text", text: { value, annotations } });

/** An annotation over `marker` in `value`, with the API's indices. */
function annotationOf(value: string, marker: string, fields: Json): Json {
  const start = value.indexOf(marker);
  return { ...fields, text: marker, start_index: start, end_index: start + marker.length };
}

export const plotAnswer = "Here is the plot: [Download plot.png](sandbox:/mnt/data/plot.png)";
export const citedAnswer = "Revenue grew 12% in the third quarter【4:0†report.md】.";

function run(id: string, status: string, steps: Json[], extra: Json = {}): Json {
  return {
    id,
    object: "thread.run",
    created_at: 1699017615,
    assistant_id: fixtureIds.assistant,
    thread_id: fixtureIds.thread,
    status,
    started_at: 1699017615,
    expires_at: status === "completed" ? null : 1699018215,
    cancelled_at: null,
    failed_at: null,
    completed_at: status === "completed" ? 1699017619 : null,
    required_action: null,
    last_error: null,
    model: "gpt-4o",
    instructions: null,
    incomplete_details: null,
    tools: [{ type: "code_interpreter" }, { type: "function", function: { name: "lookup_customer", parameters: { type: "object", properties: {} } } }],
    metadata: {},
    usage: status === "completed" ? { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 } : null,
    temperature: 1.0,
    top_p: 1.0,
    max_prompt_tokens: 1000,
    max_completion_tokens: 1000,
    truncation_strategy: { type: "auto", last_messages: null },
    response_format: "auto",
    tool_choice: "auto",
    parallel_tool_calls: true,
    steps,
    ...extra,
  };
}

function step(id: string, runId: string, details: Json, status = "completed"): Json {
  return {
    id,
    object: "thread.run.step",
    created_at: 1699017616,
    run_id: runId,
    assistant_id: fixtureIds.assistant,
    thread_id: fixtureIds.thread,
    type: details.type,
    status,
    cancelled_at: null,
    completed_at: status === "completed" ? 1699017617 : null,
    expired_at: null,
    failed_at: null,
    last_error: null,
    step_details: details,
    usage: status === "completed" ? { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } : null,
  };
}

/** The exporter's fixture thread, grown: attachments, a chart with a file_path annotation, a citation, a live run. */
export function threadRecord(): Json {
  const messages = [
    message("msg_fix001", 1699017614, "user", [text("Plot my sales data")], {
      attachments: [{ file_id: "file-sales1", tools: [{ type: "code_interpreter" }] }],
    }),
    message("msg_fix002", 1699017620, "assistant", [
      { type: "image_file", image_file: { file_id: "file-imgout1" } },
      text(plotAnswer, [annotationOf(plotAnswer, "sandbox:/mnt/data/plot.png", { type: "file_path", file_path: { file_id: "file-pathann1" } })]),
    ]),
    message("msg_fix003", 1699017630, "user", [text("What does the report say about revenue?")], {
      attachments: [{ file_id: "file-report1", tools: [{ type: "file_search" }] }],
    }),
    message("msg_fix004", 1699017640, "assistant", [
      text(citedAnswer, [annotationOf(citedAnswer, "【4:0†report.md】", { type: "file_citation", file_citation: { file_id: "file-report1" } })]),
    ]),
    message("msg_fix005", 1699017650, "user", [text("Look up customer 42")]),
  ];
  const completedRun = run(fixtureIds.completedRun, "completed", [
    step("step_fix001", fixtureIds.completedRun, {
      type: "tool_calls",
      tool_calls: [
        {
          id: "call_fix001",
          type: "code_interpreter",
          code_interpreter: { input: "import matplotlib...", outputs: [{ type: "logs", logs: "ok" }, { type: "image", image: { file_id: "file-stepimg1" } }] },
        },
      ],
    }),
    step("step_fix002", fixtureIds.completedRun, { type: "message_creation", message_creation: { message_id: "msg_fix002" } }),
  ]);
  const toolCall = { id: "call_fix002", type: "function", function: { name: "lookup_customer", arguments: '{"id":42}', output: null } };
  const liveRun = run(fixtureIds.liveRun, "requires_action", [step("step_fix003", fixtureIds.liveRun, { type: "tool_calls", tool_calls: [toolCall] }, "in_progress")], {
    created_at: 1699017651,
    required_action: { type: "submit_tool_outputs", submit_tool_outputs: { tool_calls: [{ id: "call_fix002", type: "function", function: { name: "lookup_customer", arguments: '{"id":42}' } }] } },
  });
  return {
    export_schema: "assistants-thread-export/v1",
    thread_id: fixtureIds.thread,
    exported_at: "2026-08-20T10:00:00+00:00",
    thread: {
      id: fixtureIds.thread,
      object: "thread",
      created_at: 1699012949,
      metadata: { customer: "c-1" },
      tool_resources: { file_search: { vector_store_ids: [fixtureIds.threadStore] } },
    },
    messages,
    runs: [completedRun, liveRun],
    files: {
      "file-imgout1": fileObject("file-imgout1", "plot.png", 20480, "assistants_output"),
      "file-pathann1": fileObject("file-pathann1", "/mnt/data/plot.png", 20480, "assistants_output"),
      "file-report1": fileObject("file-report1", "report.md", sizeOf("report.md")),
      "file-sales1": fileObject("file-sales1", "sales.csv", sizeOf("sales.csv")),
    },
    errors: [{ object: "file", id: "file-stepimg1", error: "not_found_or_expired", detail: "Not found (HTTP 404) for GET /files/file-stepimg1" }],
  };
}

/** More messages than the API's page of 100, as the exporter concatenates them. */
export function longThreadRecord(messageCount = 150): Json {
  const messages = Array.from({ length: messageCount }, (_, index) => ({
    ...message(`msg_long${String(index).padStart(4, "0")}`, 1699020000 + index, index % 2 === 0 ? "user" : "assistant", [text(`Message number ${index}`)]),
    thread_id: fixtureIds.longThread,
    run_id: null,
  }));
  return {
    export_schema: "assistants-thread-export/v1",
    thread_id: fixtureIds.longThread,
    exported_at: "2026-08-20T10:00:05+00:00",
    thread: { id: fixtureIds.longThread, object: "thread", created_at: 1699019999, metadata: {}, tool_resources: {} },
    messages,
    runs: [],
    files: {},
    errors: [],
  };
}

function goneThreadRecord(): Json {
  return {
    export_schema: "assistants-thread-export/v1",
    thread_id: fixtureIds.goneThread,
    exported_at: "2026-08-20T10:00:06+00:00",
    thread: null,
    messages: [],
    runs: [],
    files: {},
    errors: [{ object: "thread", id: fixtureIds.goneThread, error: "not_found_or_deleted", detail: "Not found (HTTP 404)" }],
  };
}

export function writeJsonFile(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function manifest(threadsRequested: number, failed: { thread_id: string; error: string }[], assistantsCount: number): Json {
  return {
    export_schema: "assistants-export-manifest/v1",
    script_version: "1.0.0",
    exported_at: "2026-08-20T10:00:07+00:00",
    endpoint: "openai",
    base_url: "https://api.openai.com/v1",
    assistants_count: assistantsCount,
    threads_requested: threadsRequested,
    threads_exported: threadsRequested - failed.length,
    threads_failed: failed,
    notes: ["files/ entries are metadata only — file CONTENT is not downloadable for assistants-purpose files via the API."],
  };
}

/** The whole fixture export in `directory`; the originals go to `originalsDirectory` when given. */
export function writeFixtureExport(directory: string, options: { originalsDirectory?: string } = {}): void {
  writeJsonFile(path.join(directory, "assistants.json"), [assistantObject()]);
  for (const record of [threadRecord(), longThreadRecord(), goneThreadRecord()]) {
    writeJsonFile(path.join(directory, "threads", `${String(record.thread_id)}.json`), record);
  }
  writeJsonFile(path.join(directory, "manifest.json"), manifest(3, [{ thread_id: fixtureIds.goneThread, error: "not_found_or_deleted" }], 1));
  if (options.originalsDirectory) {
    // Kept in folders of the user's own, as people keep files.
    for (const [name, content] of Object.entries(originalFiles)) {
      const folder = path.join(options.originalsDirectory, name.endsWith(".csv") ? "data" : "docs");
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, name), content);
    }
  }
}
