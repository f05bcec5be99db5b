/**
 * Conversation and response items, stored and shown in the Responses API's wire shapes. A thread is a
 * conversation: its messages and run steps are shown as items (see `engine/responses/conversation-items.ts`);
 * items no Assistants object can hold (a developer message, a client's own function call) are stored as is.
 */
export type ItemStatus = "in_progress" | "completed" | "incomplete";

export type InputContent =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string | null; file_id: string | null; detail: "auto" | "low" | "high" }
  /** A File handed to the model whole (its text; a PDF page by page). One sent inline (`file_data`) was stored as a File first. */
  | { type: "input_file"; file_id: string; filename: string };

export interface FileCitation {
  type: "file_citation";
  file_id: string;
  filename: string;
  index: number;
}

/** A file the code wrote in its container, linked from the answer (`start_index`/`end_index` span the link). */
export interface ContainerFileCitation {
  type: "container_file_citation";
  container_id: string;
  file_id: string;
  filename: string;
  start_index: number;
  end_index: number;
}

export type OutputAnnotation = FileCitation | ContainerFileCitation;

export interface OutputText {
  type: "output_text";
  text: string;
  annotations: OutputAnnotation[];
  logprobs: [];
}

export type OutputContent = OutputText | { type: "refusal"; refusal: string };

export interface MessageItem {
  type: "message";
  id: string;
  status: ItemStatus;
  role: "user" | "assistant" | "system" | "developer";
  content: (InputContent | OutputContent)[];
}

export interface FunctionCallItem {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: ItemStatus;
}

export interface FunctionCallOutputItem {
  type: "function_call_output";
  id: string;
  call_id: string;
  output: string | InputContent[];
  status: ItemStatus;
}

export interface FileSearchCallItem {
  type: "file_search_call";
  id: string;
  status: "in_progress" | "searching" | "completed" | "incomplete" | "failed";
  queries: string[];
  /** Only when asked for with `include: ["file_search_call.results"]`. */
  results: { file_id: string; filename: string; score: number; text: string; attributes: Record<string, string | number | boolean> | null }[] | null;
}

export type CodeInterpreterOutput = { type: "logs"; logs: string } | { type: "image"; url: string };

export interface CodeInterpreterCallItem {
  type: "code_interpreter_call";
  id: string;
  status: "in_progress" | "interpreting" | "completed" | "incomplete" | "failed";
  container_id: string;
  code: string | null;
  /** Only when asked for with `include: ["code_interpreter_call.outputs"]`. */
  outputs: CodeInterpreterOutput[] | null;
}

/** What a reasoning model thought before answering (as reasoning text; Spool makes no summaries of its own). */
export interface ReasoningItem {
  type: "reasoning";
  id: string;
  summary: { type: "summary_text"; text: string }[];
  content: { type: "reasoning_text"; text: string }[];
  status: ItemStatus;
}

export type ConversationItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | FileSearchCallItem | CodeInterpreterCallItem | ReasoningItem;

/**
 * One entry of a thread's item log (table `thread_items`), in the order the thread's content was written
 * through any API: a message (by id), a run step with tool calls (by id), or an item stored as is.
 */
export type ThreadItemEntry = { id: string; created_at: number; thread_id: string; run_id: string | null } & (
  | { kind: "message" }
  | { kind: "run_step" }
  | { kind: "item"; item: ConversationItem }
);
