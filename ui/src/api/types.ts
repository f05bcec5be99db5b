/** The subset of the Assistants API v2 wire objects the playground reads and writes. */

export interface ApiList<T> {
  object: 'list';
  data: T[];
  first_id?: string | null;
  last_id?: string | null;
  has_more?: boolean;
}

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

export type AssistantTool =
  | { type: 'code_interpreter' }
  | { type: 'file_search'; file_search?: Record<string, unknown> }
  | { type: 'function'; function: FunctionDefinition };

export type ResponseFormat = 'auto' | { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; json_schema: unknown };

export interface ToolResources {
  code_interpreter?: { file_ids?: string[] };
  file_search?: { vector_store_ids?: string[] };
}

export interface Assistant {
  id: string;
  object: 'assistant';
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: AssistantTool[];
  tool_resources?: ToolResources | null;
  metadata?: Record<string, string> | null;
  temperature?: number | null;
  top_p?: number | null;
  response_format?: ResponseFormat | null;
}

export interface Thread {
  id: string;
  object: 'thread';
  created_at: number;
  metadata?: Record<string, string> | null;
  tool_resources?: ToolResources | null;
}

export interface FileCitationAnnotation {
  type: 'file_citation';
  text: string;
  start_index: number;
  end_index: number;
  file_citation: { file_id: string; quote?: string; page?: number | string };
}

export interface FilePathAnnotation {
  type: 'file_path';
  text: string;
  start_index: number;
  end_index: number;
  /** `container_id`: the file is a container's (a response's code wrote it), not a File. */
  file_path: { file_id: string; container_id?: string };
}

export type Annotation = FileCitationAnnotation | FilePathAnnotation;

export type MessageContent =
  | { type: 'text'; text: { value: string; annotations: Annotation[] } }
  | { type: 'image_file'; image_file: { file_id: string; detail?: string } }
  | { type: 'image_url'; image_url: { url: string; detail?: string } }
  | { type: 'refusal'; refusal: string };

export interface Message {
  id: string;
  object: 'thread.message';
  created_at: number;
  thread_id: string;
  status?: 'in_progress' | 'incomplete' | 'completed' | null;
  role: 'user' | 'assistant';
  content: MessageContent[];
  assistant_id?: string | null;
  run_id?: string | null;
  attachments?: unknown[] | null;
  metadata?: Record<string, string> | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ApiErrorBody {
  code: string | null;
  message: string;
}

export interface FunctionToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string; output?: string | null };
}

export type RunStatus =
  | 'queued'
  | 'in_progress'
  | 'requires_action'
  | 'cancelling'
  | 'cancelled'
  | 'failed'
  | 'completed'
  | 'incomplete'
  | 'expired';

export interface Run {
  id: string;
  object: 'thread.run';
  created_at: number;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action?: {
    type: 'submit_tool_outputs';
    submit_tool_outputs: { tool_calls: FunctionToolCall[] };
  } | null;
  last_error?: ApiErrorBody | null;
  incomplete_details?: { reason?: string } | null;
  started_at?: number | null;
  completed_at?: number | null;
  failed_at?: number | null;
  cancelled_at?: number | null;
  expires_at?: number | null;
  model?: string;
  instructions?: string;
  tools?: AssistantTool[];
  usage?: Usage | null;
  temperature?: number | null;
}

export type CodeInterpreterOutput =
  | { type: 'logs'; logs: string }
  | { type: 'image'; image: { file_id: string } };

export interface FileSearchResult {
  file_id: string;
  file_name?: string;
  score?: number;
  content?: { type: 'text'; text: string }[];
}

export type StepToolCall =
  | { id: string; type: 'code_interpreter'; code_interpreter: { input: string; outputs: CodeInterpreterOutput[] } }
  | { id: string; type: 'file_search'; file_search: { ranking_options?: unknown; results?: FileSearchResult[] } }
  | FunctionToolCall;

export type StepDetails =
  | { type: 'message_creation'; message_creation: { message_id: string } }
  | { type: 'tool_calls'; tool_calls: StepToolCall[] };

export interface RunStep {
  id: string;
  object: 'thread.run.step';
  created_at: number;
  run_id: string;
  thread_id: string;
  type: 'message_creation' | 'tool_calls';
  status: 'in_progress' | 'cancelled' | 'failed' | 'completed' | 'expired';
  step_details: StepDetails;
  last_error?: ApiErrorBody | null;
  completed_at?: number | null;
  failed_at?: number | null;
  cancelled_at?: number | null;
  expired_at?: number | null;
  usage?: Usage | null;
}

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status?: string;
}

export interface VectorStore {
  id: string;
  object: 'vector_store';
  created_at: number;
  name: string | null;
  usage_bytes?: number;
  status: 'expired' | 'in_progress' | 'completed';
  file_counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
  last_active_at?: number | null;
}

export interface VectorStoreFile {
  id: string;
  object: 'vector_store.file';
  created_at: number;
  vector_store_id: string;
  usage_bytes?: number;
  status: 'in_progress' | 'completed' | 'cancelled' | 'failed';
  last_error: ApiErrorBody | null;
}
