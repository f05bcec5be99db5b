import type { ConversationItem } from "../../domain/items.js";
import type { AssistantTool, ResponseFormat, Run, ToolChoice } from "../../domain/objects.js";
import type { ResponseCodeInterpreterTool, ResponseRecord, ResponseTextFormat, ResponseTool } from "../../domain/responses.js";
import { unixNow } from "../../domain/time.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import type { CodeInterpreterToolRequest } from "../containers/containers.schema.js";
import type { CreateResponseRequest } from "./responses.schema.js";

/** The tool's container as requested (a network allowlist was refused before). */
function echoedContainer(container: CodeInterpreterToolRequest["container"]): ResponseCodeInterpreterTool["container"] {
  if (typeof container === "string") return container;
  const { file_ids, memory_limit } = container;
  return { type: "auto", ...(file_ids ? { file_ids } : {}), ...(memory_limit === undefined ? {} : { memory_limit }), ...(container.network_policy ? { network_policy: { type: "disabled" } } : {}) };
}

/** The record of a new response: the request's settings, each with the spec's default where unset. */
export function buildResponseRecord(
  id: string,
  thread: { id: string; conversation: boolean },
  request: CreateResponseRequest & { model: string },
  inputItems: ConversationItem[],
): ResponseRecord {
  const tools = (request.tools ?? []).map((tool): ResponseTool => {
    if (tool.type === "file_search") {
      const { max_num_results, ranking_options } = tool;
      return { type: "file_search", vector_store_ids: tool.vector_store_ids, ...(max_num_results ? { max_num_results } : {}), ...(ranking_options ? { ranking_options } : {}), filters: tool.filters ?? null };
    }
    if (tool.type === "code_interpreter") return { type: "code_interpreter", container: echoedContainer(tool.container) };
    return { type: "function", name: tool.name, description: tool.description ?? null, parameters: tool.parameters ?? null, strict: tool.strict ?? null };
  });
  const choice = request.tool_choice ?? "auto";
  const chosen = typeof choice === "object" && tools.some((tool) => (choice.type === "function" ? tool.type === "function" && tool.name === choice.name : tool.type === choice.type));
  if (typeof choice === "object" && !chosen) {
    throw new InvalidRequestError(`Tool choice '${choice.type === "function" ? choice.name : choice.type}' is not one of the tools given.`, { param: "tool_choice" });
  }
  const requested = request.text?.format ?? { type: "text" };
  const format: ResponseTextFormat = requested.type === "json_schema" ? { ...requested, strict: requested.strict ?? null } : requested;
  return {
    id,
    object: "response",
    created_at: unixNow(),
    thread_id: thread.id,
    conversation: thread.conversation ? { id: thread.id } : null,
    previous_response_id: request.previous_response_id ?? null,
    prompt: request.prompt ? { id: request.prompt.id, version: request.prompt.version ?? null, variables: request.prompt.variables ?? null } : null,
    background: request.background ?? false,
    store: request.store ?? true,
    model: request.model,
    instructions: request.instructions ?? null,
    tools,
    tool_choice: choice,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    text: { format, verbosity: request.text?.verbosity ?? "medium" },
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    max_tool_calls: request.max_tool_calls ?? null,
    truncation: request.truncation ?? "disabled",
    reasoning: { effort: request.reasoning?.effort ?? null, summary: request.reasoning?.summary ?? request.reasoning?.generate_summary ?? null },
    metadata: request.metadata ?? {},
    safety_identifier: request.safety_identifier ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    top_logprobs: request.top_logprobs ?? 0,
    input_items: inputItems,
  };
}

/** Its vector stores and filters stay on the record, where the file_search tool reads them. */
function runTools(tools: ResponseTool[]): AssistantTool[] {
  return tools.map((tool): AssistantTool => {
    if (tool.type === "file_search") {
      const threshold = tool.ranking_options?.score_threshold;
      const settings = { ...(tool.max_num_results ? { max_num_results: tool.max_num_results } : {}), ...(threshold === undefined ? {} : { ranking_options: { score_threshold: threshold } }) };
      return { type: "file_search", file_search: settings };
    }
    // Its container is on the record, where the code_interpreter tool reads it.
    if (tool.type === "code_interpreter") return { type: "code_interpreter" };
    return {
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description === null ? {} : { description: tool.description }),
        ...(tool.parameters === null ? {} : { parameters: tool.parameters }),
        strict: tool.strict,
      },
    };
  });
}

function runResponseFormat(format: ResponseTextFormat): ResponseFormat {
  if (format.type !== "json_schema") return format;
  const { name, description, schema, strict } = format;
  return { type: "json_schema", json_schema: { name, ...(description === undefined ? {} : { description }), schema, strict } };
}

/**
 * The run that executes `record` (same id, on its thread), set up as the engine reads a run's settings.
 * With `truncation: "auto"` its prompt is held to `promptBudget` tokens: the oldest items are left out.
 */
export function buildResponseRun(record: ResponseRecord, expirySeconds: number, promptBudget: number): Run {
  const choice = record.tool_choice;
  const toolChoice: ToolChoice = typeof choice !== "object" ? choice : choice.type === "function" ? { type: "function", function: { name: choice.name } } : choice;
  return {
    id: record.id,
    object: "thread.run",
    created_at: record.created_at,
    thread_id: record.thread_id,
    // The assistant that stood in for its prompt, if one did; Assistants clients listing the thread's runs see it.
    assistant_id: record.prompt?.id ?? "",
    status: "queued",
    required_action: null,
    last_error: null,
    expires_at: record.created_at + expirySeconds,
    started_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: null,
    incomplete_details: null,
    model: record.model,
    instructions: record.instructions ?? "",
    tools: runTools(record.tools),
    metadata: record.metadata,
    usage: null,
    temperature: record.temperature,
    top_p: record.top_p,
    max_prompt_tokens: record.truncation === "auto" ? promptBudget : null,
    max_completion_tokens: record.max_output_tokens,
    truncation_strategy: { type: "auto", last_messages: null },
    tool_choice: toolChoice,
    parallel_tool_calls: record.parallel_tool_calls,
    response_format: runResponseFormat(record.text.format),
    file_ids: [],
    include: [],
    reasoning_effort: record.reasoning.effort,
  };
}
