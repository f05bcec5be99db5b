import type { ConversationItem } from "./items.js";
import type { AttributeFilter } from "../vector/attribute-filter.js";
import type { ContainerMemoryLimit } from "./containers.js";
import type { Metadata, ReasoningEffort } from "./objects.js";

export interface ResponseFunctionTool {
  type: "function";
  name: string;
  description: string | null;
  parameters: Record<string, unknown> | null;
  strict: boolean | null;
}

export interface ResponseFileSearchTool {
  type: "file_search";
  vector_store_ids: string[];
  max_num_results?: number;
  ranking_options?: { ranker?: "auto" | "default-2024-11-15"; score_threshold?: number };
  filters: AttributeFilter | null;
}

export interface ResponseCodeInterpreterTool {
  type: "code_interpreter";
  /** As requested: a container's id, or `auto` (a container made for the response, or the conversation's). */
  container: string | { type: "auto"; file_ids?: string[]; memory_limit?: ContainerMemoryLimit | null; network_policy?: { type: "disabled" } };
}

export type ResponseTool = ResponseFunctionTool | ResponseFileSearchTool | ResponseCodeInterpreterTool;

export type ResponseToolChoice = "none" | "auto" | "required" | { type: "function"; name: string } | { type: "file_search" } | { type: "code_interpreter" };

export const isFileSearchTool = (tool: ResponseTool): tool is ResponseFileSearchTool => tool.type === "file_search";

export type ResponseTextFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; name: string; description?: string; schema: Record<string, unknown>; strict: boolean | null };

/**
 * A response as requested. It executes as a run with the same id on `thread_id` (a conversation's thread,
 * or one of its own), so its status, output and usage are the run's and are read from it (see
 * `resources/responses/response-view.ts`). The settings below are echoed as the spec shows them.
 */
export interface ResponseRecord {
  id: string;
  object: "response";
  created_at: number;
  thread_id: string;
  conversation: { id: string } | null;
  previous_response_id: string | null;
  /** An assistant standing in for a prompt template: its settings fill in what the request left out. */
  prompt: { id: string; version: string | null; variables: Record<string, string | { type: "input_text"; text: string }> | null } | null;
  background: boolean;
  store: boolean;
  model: string;
  instructions: string | null;
  tools: ResponseTool[];
  tool_choice: ResponseToolChoice;
  parallel_tool_calls: boolean;
  text: { format: ResponseTextFormat; verbosity: "low" | "medium" | "high" };
  temperature: number | null;
  top_p: number | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  truncation: "auto" | "disabled";
  reasoning: { effort: ReasoningEffort | null; summary: "auto" | "concise" | "detailed" | null };
  metadata: Metadata;
  safety_identifier: string | null;
  prompt_cache_key: string | null;
  top_logprobs: number;
  /** Not on the wire: the container its code_interpreter runs code in (resolved when it was created). */
  container_id?: string | null;
  /** Not on the wire: the items this response added to its thread, as they show there (listed by `input_items`). */
  input_items: ConversationItem[];
}
