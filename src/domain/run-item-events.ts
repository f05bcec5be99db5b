import type { Annotation, Message, MessageContent, Reasoning, Run, RunStep, Thread, ToolCall } from "./objects.js";

type DeepPartialWithIndex<T> = T extends (infer Item)[]
  ? (DeepPartialWithIndex<Item> & { index: number })[]
  : T extends object
    ? { [K in keyof T]?: DeepPartialWithIndex<T[K]> }
    : T;

/** A fragment of a stored tool call (as a tool reports progress), merged into the call by `mergeDelta`; `index` places the call in its step. */
export type ToolCallDelta = DeepPartialWithIndex<ToolCall> & { index: number; type: ToolCall["type"] };

/** A tool call's fragment before it is placed in its step (each kind of call keeps its own fields). */
export type ToolCallFragment = ToolCallDelta extends infer Delta ? (Delta extends unknown ? Omit<Delta, "index"> : never) : never;

/** A fragment of a stored message part, at `index` of the message's content. */
export type MessageContentDelta = DeepPartialWithIndex<MessageContent> & { index: number; type: MessageContent["type"] };

/** An error a run's stream reports about itself (not a run failure, which is a status). */
export interface StreamFault {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/**
 * What a run does, as the engine tells it: neutral events about the run, its model turns and the items
 * they produce (reasoning; an assistant message with its text; tool calls with their input and output). The engine
 * publishes only these; each API renders them at its edge: Assistants stream events in
 * `streaming/assistant-events.ts`, Responses stream events in `resources/responses/response-events.ts`.
 *
 * Items live in the one store every API reads (a thread is a conversation): a message in the thread's
 * messages, a turn's tool calls in that turn's run step. Events that open or close an item carry that
 * stored record as it stood when the event was written, so a stream read again later shows the same.
 */
export type RunItemEvent =
  /** `createAndRun` made the run's thread. */
  | { type: "thread.created"; thread: Thread }
  | { type: "run.created"; run: Run }
  /** The run's stored status changed. */
  | { type: "run.updated"; run: Run }
  /** A reasoning model began thinking aloud (before its answer in this turn). */
  | { type: "reasoning.started"; item_id: string }
  | { type: "reasoning.text"; item_id: string; delta: string }
  /** The thinking ended and is stored with the turn's first step (written in the same transaction). */
  | { type: "reasoning.finished"; reasoning: Reasoning }
  /** The model began answering with text: its message, and the run step that records it. */
  | { type: "message.started"; message: Message; step: RunStep }
  /** A whole part added to a message (e.g. an image a tool produced), at `index` of its content. */
  | { type: "message.part"; message_id: string; index: number; part: MessageContent }
  | { type: "message.text"; message_id: string; index: number; delta: string; first: boolean }
  /** The message's text, finished, was given citations or file links. */
  | { type: "message.annotated"; message_id: string; index: number; annotations: Annotation[] }
  /** The message ended, completed or incomplete. */
  | { type: "message.finished"; message: Message }
  /** The model began calling tools in this turn: the run step that records the turn's calls. */
  | { type: "tool_calls.started"; step: RunStep }
  /** A tool call began (`call` as first stored), the `index`-th call of the turn. */
  | { type: "tool_call.started"; step_id: string; index: number; call: ToolCall }
  /** A function call's arguments, as the model streams them. */
  | { type: "tool_call.arguments"; step_id: string; index: number; delta: string }
  /** A code_interpreter call's code, as the model writes it. */
  | { type: "tool_call.code"; step_id: string; index: number; delta: string }
  /**
   * A built-in tool's progress as a fragment of the stored call: first its input as it runs (what was not
   * streamed already; a code_interpreter call's input, even empty, says its code is complete and runs),
   * then its outputs.
   */
  | { type: "tool_call.progress"; step_id: string; delta: ToolCallDelta }
  /**
   * A run step ended (completed, failed, cancelled, expired): the record of a message, or of a turn's tool
   * calls with every call's output.
   */
  | { type: "step.finished"; step: RunStep }
  | { type: "error"; error: StreamFault };
