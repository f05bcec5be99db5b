import type { ConversationItem } from "../../domain/items.js";
import type { Run, Usage } from "../../domain/objects.js";
import type { ResponseRecord } from "../../domain/responses.js";
import { addUsage } from "../../engine/run-machine.js";
import { fileNames, messageItem, reasoningItem, stepItems, type Included } from "../../engine/responses/conversation-items.js";
import type { Store } from "../../storage/store.js";

/** A response is its record plus the state of the run that executes it. */
export interface ResponseState {
  record: ResponseRecord;
  run: Run;
  output: ConversationItem[];
  usage: Usage | null;
}

function status(run: Run, background: boolean) {
  switch (run.status) {
    case "queued":
      return background ? "queued" : "in_progress";
    case "in_progress":
    case "cancelling":
      return "in_progress";
    // Not reached by response runs (their function calls end them), but an Assistants view of the run is `completed` too.
    case "requires_action":
    case "completed":
      return "completed";
    case "expired":
      return "failed";
    default:
      return run.status;
  }
}

function error(run: Run) {
  if (run.status === "expired") return { code: "server_error", message: "The response expired before a process could execute it." };
  return run.status === "failed" && run.last_error ? { code: run.last_error.code, message: run.last_error.message } : null;
}


/**
 * The output so far: the run's reasoning, messages and tool calls, in the order its steps were opened; file search
 * results and code outputs only when the request asked for them (`include`).
 */
export async function loadResponseState(store: Store, record: ResponseRecord, run: Run, include: Included): Promise<ResponseState> {
  const names = fileNames(store);
  const output: ConversationItem[] = [];
  let usage: Usage | null = null;
  // A failed step is a turn a crashed executor was cut off in; it was generated again.
  for (const step of (await store.runSteps.findAll({ parentId: run.id })).filter((candidate) => candidate.status !== "failed")) {
    if (step.usage) usage = addUsage(usage, step.usage);
    if (step.reasoning) output.push(reasoningItem(step.reasoning));
    if (step.step_details.type === "tool_calls") output.push(...(await stepItems(step, { outputs: false, ...include }, record.container_id ?? null)));
    else {
      const message = await store.messages.get(step.step_details.message_creation.message_id, record.thread_id);
      if (message) output.push(await messageItem(message, names));
    }
  }
  return { record, run, output, usage };
}

/** The spec's `Response`, every required field present and unset settings at their defaults. */
export function viewResponse({ record, run, output, usage }: ResponseState) {
  const { input_items: _listedSeparately, thread_id: _internal, container_id: _resolved, ...settings } = record;
  return {
    ...settings,
    status: status(run, record.background),
    completed_at: run.status === "completed" ? run.completed_at : null,
    error: error(run),
    incomplete_details: run.status === "incomplete" ? { reason: "max_output_tokens" as const } : null,
    output,
    service_tier: "default" as const,
    temperature: record.temperature ?? 1,
    top_p: record.top_p ?? 1,
    // The spec's `usage` is an object or absent, never null.
    ...(usage && {
      usage: {
        input_tokens: usage.prompt_tokens,
        input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        output_tokens: usage.completion_tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: usage.total_tokens,
      },
    }),
  };
}

export type ResponseView = ReturnType<typeof viewResponse>;
