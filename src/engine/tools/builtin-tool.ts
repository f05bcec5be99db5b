import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type {
  Annotation,
  Assistant,
  CodeInterpreterToolCall,
  FileSearchToolCall,
  MessageContent,
  Run,
  RunStep,
  Thread,
} from "../../domain/objects.js";
import type { Store } from "../../storage/store.js";
import type { ToolCallFragment } from "../../domain/run-item-events.js";

export type BuiltinToolType = "file_search" | "code_interpreter";

export interface ToolRunContext {
  run: Run;
  /** Undefined when the assistant was deleted after the run was created. */
  assistant: Assistant | undefined;
  thread: Thread;
  /** This run's steps so far, oldest first (a resumed run rebuilds its state from them). */
  steps: RunStep[];
  signal: AbortSignal;
  /** The store of the run's project: what a tool creates (e.g. output files) belongs to that project. */
  store: Store;
}

export interface BuiltinToolCallResult {
  /** The finished record for the run step. */
  toolCall: CodeInterpreterToolCall | FileSearchToolCall;
  /** What the model is told the tool returned. */
  modelOutput: string;
  /** Content for the assistant's next message, e.g. images the code produced. */
  messageContent?: MessageContent[];
  /** The call did not do what was asked (its code raised, its input was unusable); the model is told why. Counted in metrics. */
  failed?: boolean;
}

/** One run's use of a tool; state such as citation sources lives here for the run's duration. */
export interface BuiltinToolScope {
  /** The function the model sees for this tool. */
  readonly definition: LanguageModelV3FunctionTool;
  /** Added to the system prompt, e.g. how to cite sources. */
  readonly instructions?: string;
  /** The record shown when the call starts, before it runs (e.g. `input: ""`, `outputs: []`). */
  initialToolCall(callId: string): CodeInterpreterToolCall | FileSearchToolCall;
  /**
   * The code so far of a call the model is still writing, from its raw input so far (code_interpreter
   * only): clients see the code as it is written. Undefined while nothing can be shown yet.
   */
  streamedCode?(rawInputSoFar: string): string | undefined;
  /**
   * `emit` reports the call's progress as fragments of its stored record (without `index`): its input once
   * it runs (all of it: the executor drops what was streamed already), then its outputs.
   */
  execute(
    call: { id: string; input: string },
    emit: (delta: ToolCallFragment) => void,
  ): Promise<BuiltinToolCallResult>;
  /** Turns the model's final text into annotated text, e.g. source markers into file citations. */
  annotate?(value: string): { value: string; annotations: Annotation[] };
}

/**
 * A tool the server runs itself (code interpreter, file search). Function tools are not builtin: the
 * client runs them through `requires_action`.
 */
export interface BuiltinTool {
  readonly type: BuiltinToolType;
  /** Why the tool cannot run on this server, or null when it can. */
  unavailableReason(): string | null;
  open(context: ToolRunContext): Promise<BuiltinToolScope>;
}
