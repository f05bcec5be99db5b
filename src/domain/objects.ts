/**
 * The stored shapes of the Assistants API objects. They follow the v2 wire objects (snake_case, every key
 * present) so that rendering is a cheap projection; v1-only fields live beside them and are shown only to
 * v1 clients (see `http/api-version.ts`).
 */
export type Metadata = Record<string, string>;

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

export interface FileSearchRankingOptions {
  ranker?: "auto" | "default_2024_08_21";
  score_threshold: number;
}

export type AssistantTool =
  | { type: "code_interpreter" }
  | { type: "file_search"; file_search?: { max_num_results?: number; ranking_options?: FileSearchRankingOptions } }
  | { type: "function"; function: FunctionDefinition };

export interface ToolResources {
  code_interpreter?: { file_ids: string[] };
  file_search?: { vector_store_ids: string[] };
}

export type ResponseFormat =
  | "auto"
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null };
    };

export type ToolChoice =
  | "none"
  | "auto"
  | "required"
  | { type: "function"; function: { name: string } }
  | { type: "code_interpreter" | "file_search" };

export interface TruncationStrategy {
  type: "auto" | "last_messages";
  last_messages: number | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface Assistant {
  id: string;
  object: "assistant";
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: AssistantTool[];
  tool_resources: ToolResources;
  metadata: Metadata;
  temperature: number | null;
  top_p: number | null;
  response_format: ResponseFormat;
  /** v1: files available to retrieval and code_interpreter. */
  file_ids: string[];
  /** Not on the wire (the spec does not echo it): passed to reasoning models. */
  reasoning_effort: ReasoningEffort | null;
}

export type ReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

export interface Thread {
  id: string;
  object: "thread";
  created_at: number;
  tool_resources: ToolResources;
  metadata: Metadata;
}

export interface FileCitationAnnotation {
  type: "file_citation";
  text: string;
  file_citation: { file_id: string; quote?: string };
  start_index: number;
  end_index: number;
}

export interface FilePathAnnotation {
  type: "file_path";
  text: string;
  file_path: { file_id: string };
  start_index: number;
  end_index: number;
}

export type Annotation = FileCitationAnnotation | FilePathAnnotation;

export type MessageContent =
  | { type: "text"; text: { value: string; annotations: Annotation[] } }
  | { type: "image_file"; image_file: { file_id: string; detail?: "auto" | "low" | "high" } }
  | { type: "image_url"; image_url: { url: string; detail?: "auto" | "low" | "high" } }
  | { type: "refusal"; refusal: string };

export interface Attachment {
  file_id: string;
  tools: ({ type: "code_interpreter" } | { type: "file_search" })[];
}

export type MessageStatus = "in_progress" | "incomplete" | "completed";

export interface Message {
  id: string;
  object: "thread.message";
  created_at: number;
  thread_id: string;
  status: MessageStatus;
  incomplete_details: { reason: "content_filter" | "max_tokens" | "run_cancelled" | "run_expired" | "run_failed" } | null;
  completed_at: number | null;
  incomplete_at: number | null;
  role: "user" | "assistant";
  content: MessageContent[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: Attachment[];
  metadata: Metadata;
  /** v1: files attached to the message. */
  file_ids: string[];
}

export const runStatuses = [
  "queued",
  "in_progress",
  "requires_action",
  "cancelling",
  "cancelled",
  "failed",
  "completed",
  "incomplete",
  "expired",
] as const;
export type RunStatus = (typeof runStatuses)[number];

/** A thread accepts no new message or run while one of its runs is in one of these. */
export const activeRunStatuses: readonly RunStatus[] = ["queued", "in_progress", "requires_action", "cancelling"];

export interface FunctionToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string; output: string | null };
}

export interface CodeInterpreterToolCall {
  id: string;
  type: "code_interpreter";
  code_interpreter: {
    input: string;
    outputs: ({ type: "logs"; logs: string } | { type: "image"; image: { file_id: string } })[];
  };
}

export interface FileSearchResult {
  file_id: string;
  file_name: string;
  score: number;
  content?: { type: "text"; text: string }[];
}

export interface FileSearchToolCall {
  id: string;
  type: "file_search";
  file_search: {
    ranking_options?: FileSearchRankingOptions;
    results?: FileSearchResult[];
    /** Not on the wire (the Assistants API has no such field): what was searched for, for the Responses API. */
    queries?: string[];
  };
}

export type ToolCall = FunctionToolCall | CodeInterpreterToolCall | FileSearchToolCall;

export interface RunError {
  code: "server_error" | "rate_limit_exceeded" | "invalid_prompt";
  message: string;
}

export interface Run {
  id: string;
  object: "thread.run";
  created_at: number;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: {
    type: "submit_tool_outputs";
    submit_tool_outputs: { tool_calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] };
  } | null;
  last_error: RunError | null;
  expires_at: number | null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: "max_completion_tokens" | "max_prompt_tokens" } | null;
  model: string;
  instructions: string;
  tools: AssistantTool[];
  metadata: Metadata;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: TruncationStrategy;
  tool_choice: ToolChoice;
  parallel_tool_calls: boolean;
  response_format: ResponseFormat;
  /** v1: the assistant's files at run creation. */
  file_ids: string[];
  /** Not on the wire: `include[]` values the run was created with. */
  include: string[];
  /** Not on the wire: the run's or else the assistant's reasoning effort. */
  reasoning_effort: ReasoningEffort | null;
  /** Not on the wire: what metrics, traces and the usage API need (absent on runs stored before it existed). */
  telemetry?: RunTelemetry;
}

export interface RunTelemetry {
  /** Creation time in milliseconds (`created_at` has only seconds). */
  created_ms: number;
  /** When the run reached its final status, in milliseconds. */
  finished_ms?: number;
  /** The W3C `traceparent` of the request that created the run: its executor, in any process, continues that trace. */
  traceparent?: string;
}

export type RunStepStatus = "in_progress" | "cancelled" | "failed" | "completed" | "expired";

export interface RunStep {
  id: string;
  object: "thread.run.step";
  created_at: number;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: "message_creation" | "tool_calls";
  status: RunStepStatus;
  step_details:
    | { type: "message_creation"; message_creation: { message_id: string } }
    | { type: "tool_calls"; tool_calls: ToolCall[] };
  last_error: { code: "server_error" | "rate_limit_exceeded"; message: string } | null;
  expired_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  metadata: Metadata;
  usage: Usage | null;
  /** Not on the wire: what the model was told each builtin tool call returned, by call id. */
  model_outputs: Record<string, string>;
  /**
   * Not on the Assistants wire (which has no place for it): what a reasoning model thought before the turn
   * this step opened; Responses shows it as a reasoning item.
   */
  reasoning?: Reasoning;
}

/** A reasoning model's thinking before it answered, as the backend streamed it. */
export interface Reasoning {
  id: string;
  text: string;
}

/** What a run step holds before anything has happened to it: no ending, no error, no usage, no outputs. */
export function unsetRunStepFields(): Pick<
  RunStep,
  "last_error" | "expired_at" | "cancelled_at" | "failed_at" | "completed_at" | "metadata" | "usage" | "model_outputs"
> {
  return { last_error: null, expired_at: null, cancelled_at: null, failed_at: null, completed_at: null, metadata: {}, usage: null, model_outputs: {} };
}
