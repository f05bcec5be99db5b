/** The subset of the Responses and Conversations API wire objects the playground reads and writes. */

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete' | 'searching' | 'interpreting' | 'failed';

export interface ResponseFileCitation {
  type: 'file_citation';
  file_id: string;
  filename?: string;
  /** Where in the text the citation belongs (Spool: the end of its `【…】` marker). */
  index: number;
}

/** A file the code wrote in its container, linked from the answer (the span is the `sandbox:` link). */
export interface ResponseContainerFileCitation {
  type: 'container_file_citation';
  container_id: string;
  file_id: string;
  filename: string;
  start_index: number;
  end_index: number;
}

export type ResponseInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url?: string | null; file_id?: string | null; detail?: string };

export type ResponseOutputContent =
  | { type: 'output_text'; text: string; annotations: (ResponseFileCitation | ResponseContainerFileCitation | { type: string })[] }
  | { type: 'refusal'; refusal: string };

export interface MessageItem {
  type: 'message';
  id: string;
  status?: ItemStatus;
  role: 'user' | 'assistant' | 'system' | 'developer';
  content: (ResponseInputContent | ResponseOutputContent)[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status?: ItemStatus;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  id: string;
  call_id: string;
  output: string | ResponseInputContent[];
  status?: ItemStatus;
}

export interface FileSearchCallItem {
  type: 'file_search_call';
  id: string;
  status: ItemStatus;
  queries: string[];
  results?: { file_id: string; filename?: string; score?: number; text?: string }[] | null;
}

export interface CodeInterpreterCallItem {
  type: 'code_interpreter_call';
  id: string;
  status: ItemStatus;
  container_id: string;
  code: string | null;
  /** Logs, and images as data URLs (or, too large to inline, the path of their container file's content). */
  outputs?: ({ type: 'logs'; logs: string } | { type: 'image'; url: string })[] | null;
}

/** A reasoning model's thinking before its answer (the backend's reasoning text). */
export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  status?: ItemStatus;
  summary: { type: 'summary_text'; text: string }[];
  content?: { type: 'reasoning_text'; text: string }[];
}

export type ResponseItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | FileSearchCallItem | CodeInterpreterCallItem | ReasoningItem;

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'incomplete' | 'cancelled';

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  background?: boolean | null;
  model: string;
  conversation?: { id: string } | null;
  output: ResponseItem[];
  error?: { code: string; message: string } | null;
  incomplete_details?: { reason?: string } | null;
  usage?: { input_tokens: number; output_tokens: number; total_tokens: number };
}

export interface Conversation {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata?: Record<string, string> | null;
}

/** A tool of `POST /v1/responses`, as the playground sends it. */
export type ResponseTool =
  | { type: 'function'; name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null }
  | { type: 'file_search'; vector_store_ids: string[] }
  | { type: 'code_interpreter'; container: { type: 'auto'; file_ids: string[] } };
