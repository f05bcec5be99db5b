import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { newId } from "../domain/ids.js";
import { unsetRunStepFields, type Message, type MessageContent, type Reasoning, type Run, type RunStep, type ToolCall, type Usage } from "../domain/objects.js";
import { unixNow } from "../domain/time.js";
import type { ToolCallDelta } from "../domain/run-item-events.js";
import type { Store } from "../storage/store.js";
import type { RunRecorder } from "./run-recorder.js";
import type { BuiltinToolScope } from "./tools/builtin-tool.js";

export interface ModelToolCall {
  id: string;
  name: string;
  input: string;
}

export interface TurnOutcome {
  finishReason: "stop" | "length" | "content-filter" | "tool-calls" | "error" | "other";
  usage: Usage;
  toolCalls: ModelToolCall[];
  /** The message this turn streamed and its step; still `in_progress` unless `messageFinished`. */
  message?: { message: Message; step: RunStep };
  /** The message was finished during the turn, because tool calls followed it. */
  messageFinished: boolean;
  /** The tool-calls step this turn opened, with the calls as the model made them. */
  toolStep?: RunStep;
  /** What the model reasoned before its answer; stored with the turn's first step. */
  reasoning?: Reasoning;
  /** `performance.now()` when the first text or tool call arrived (unset for an empty answer). */
  firstOutputAt?: number;
}

/** Thrown when the stream fails after something was already shown to clients (so it must not be retried). */
export class TurnFailedAfterOutputError extends Error {
  override name = "TurnFailedAfterOutputError";
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

function newStep(run: Run, details: RunStep["step_details"], reasoning: Reasoning | undefined): RunStep {
  return {
    ...(reasoning ? { reasoning: { ...reasoning } } : {}),
    id: newId("step"),
    object: "thread.run.step",
    created_at: unixNow(),
    assistant_id: run.assistant_id,
    thread_id: run.thread_id,
    run_id: run.id,
    type: details.type,
    status: "in_progress",
    step_details: details,
    ...unsetRunStepFields(),
  };
}

function emptyAssistantMessage(run: Run): Message {
  return {
    id: newId("message"),
    object: "thread.message",
    created_at: unixNow(),
    thread_id: run.thread_id,
    status: "in_progress",
    incomplete_details: null,
    completed_at: null,
    incomplete_at: null,
    role: "assistant",
    content: [],
    assistant_id: run.assistant_id,
    run_id: run.id,
    attachments: [],
    metadata: {},
    file_ids: [],
  };
}

/**
 * Opens a message_creation step and its in-progress message, publishing both as the hosted API does.
 * `leadingContent` (e.g. images a tool produced) is streamed first; the text part comes after it. The
 * turn's `reasoning`, if any, is stored with the step.
 */
export async function openMessage(
  recorder: RunRecorder,
  run: Run,
  leadingContent: MessageContent[],
  store: Store,
  reasoning?: Reasoning,
): Promise<{ message: Message; step: RunStep }> {
  const message = emptyAssistantMessage(run);
  const step = newStep(run, { type: "message_creation", message_creation: { message_id: message.id } }, reasoning);
  await recorder.openMessage(step, message, store);
  leadingContent.forEach((part, index) => recorder.publish(run.id, { type: "message.part", message_id: message.id, index, part }));
  message.content = [...leadingContent];
  return { message, step };
}

async function openToolStep(recorder: RunRecorder, run: Run, store: Store, reasoning: Reasoning | undefined): Promise<RunStep> {
  const step = newStep(run, { type: "tool_calls", tool_calls: [] }, reasoning);
  await recorder.openToolCalls(step, store);
  return step;
}

/** Publishes a built-in tool's progress on its call (the `delta.index`-th call of `step`). */
export function publishToolProgress(recorder: RunRecorder, step: RunStep, delta: ToolCallDelta): void {
  recorder.publish(step.run_id, { type: "tool_call.progress", step_id: step.id, delta });
}

function initialToolCall(call: { id: string; name: string }, builtin: BuiltinToolScope | undefined): ToolCall {
  return builtin?.initialToolCall(call.id) ?? { id: call.id, type: "function", function: { name: call.name, arguments: "", output: null } };
}

/**
 * Streams one model call into the run: text becomes an in-progress assistant message (`message.text`
 * events), tool calls become a tool_calls step (`tool_call.*` events).
 * The caller finishes the message and the step (it knows whether tools ran or the run waits).
 */
export async function streamModelTurn(options: {
  model: LanguageModelV3;
  call: LanguageModelV3CallOptions;
  run: Run;
  recorder: RunRecorder;
  store: Store;
  builtinByName: Map<string, BuiltinToolScope>;
  /** Content waiting for the next assistant message; it is used up if this turn writes one. */
  leadingContent: MessageContent[];
  /** Resolves once the run's current status is stored (its start may still be written as the model is called). */
  stored: Promise<unknown>;
  /** Completes the streamed message when tool calls follow it in the same turn (steps never overlap). */
  finishMessage: (opened: NonNullable<TurnOutcome["message"]>) => Promise<void>;
}): Promise<TurnOutcome> {
  const { run, recorder, builtinByName, leadingContent } = options;
  const textIndex = leadingContent.length;
  const { stream } = await options.model.doStream(options.call);
  const outcome: TurnOutcome = {
    finishReason: "other",
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    toolCalls: [],
    messageFinished: false,
  };
  let text = "";
  const closeText = () => {
    if (outcome.message && outcome.message.message.content.at(-1)?.type !== "text") {
      outcome.message.message.content.push({ type: "text", text: { value: text, annotations: [] } });
    }
  };
  const toolIndex = new Map<string, number>();
  /** Each builtin call's tool, and its input as the model has written it so far. */
  const builtinInputs = new Map<string, { scope: BuiltinToolScope; raw: string }>();
  let shownSomething = false;

  const startToolCall = async (id: string, name: string) => {
    if (toolIndex.has(id)) return;
    if (outcome.message && !outcome.messageFinished) {
      closeText();
      await options.finishMessage(outcome.message);
      outcome.messageFinished = true;
    }
    await options.stored;
    // The turn's reasoning went with its message when text came first.
    outcome.toolStep ??= await openToolStep(recorder, run, options.store, outcome.message ? undefined : outcome.reasoning);
    const index = toolIndex.size;
    toolIndex.set(id, index);
    const scope = builtinByName.get(name);
    if (scope) builtinInputs.set(id, { scope, raw: "" });
    const record = initialToolCall({ id, name }, scope);
    if (outcome.toolStep.step_details.type === "tool_calls") outcome.toolStep.step_details.tool_calls.push(record);
    recorder.publish(run.id, { type: "tool_call.started", step_id: outcome.toolStep.id, index, call: record });
  };

  const handle = async (part: LanguageModelV3StreamPart) => {
    switch (part.type) {
      case "text-delta": {
        if (part.delta.length === 0 || outcome.toolStep) return;
        await options.stored;
        outcome.message ??= await openMessage(recorder, run, leadingContent.splice(0), options.store, outcome.reasoning);
        const first = text.length === 0;
        text += part.delta;
        shownSomething = true;
        recorder.publish(run.id, { type: "message.text", message_id: outcome.message.message.id, index: textIndex, delta: part.delta, first });
        return;
      }
      case "reasoning-start":
      case "reasoning-delta": {
        // Thinking counts before the turn's answer begins; a backend that thinks again mid-answer is not shown.
        if (outcome.message || outcome.toolStep) return;
        await options.stored;
        if (!outcome.reasoning) {
          outcome.reasoning = { id: newId("reasoning"), text: "" };
          recorder.publish(run.id, { type: "reasoning.started", item_id: outcome.reasoning.id });
        }
        if (part.type === "reasoning-delta" && part.delta.length > 0) {
          outcome.reasoning.text += part.delta;
          shownSomething = true;
          recorder.publish(run.id, { type: "reasoning.text", item_id: outcome.reasoning.id, delta: part.delta });
        }
        return;
      }
      case "tool-input-start":
        shownSomething = true;
        await startToolCall(part.id, part.toolName);
        return;
      case "tool-input-delta": {
        const index = toolIndex.get(part.id);
        const call = index === undefined || outcome.toolStep?.step_details.type !== "tool_calls" ? undefined : outcome.toolStep.step_details.tool_calls[index];
        if (index === undefined || !call || !outcome.toolStep) return;
        if (call.type === "function") {
          recorder.publish(run.id, { type: "tool_call.arguments", step_id: outcome.toolStep.id, index, delta: part.delta });
          return;
        }
        // Code streams as the model writes it; other builtin tools show their input once it is complete.
        const input = builtinInputs.get(part.id);
        if (!input) return;
        input.raw += part.delta;
        const code = call.type === "code_interpreter" ? input.scope.streamedCode?.(input.raw) : undefined;
        if (call.type !== "code_interpreter" || code === undefined || code.length <= call.code_interpreter.input.length) return;
        const delta = code.slice(call.code_interpreter.input.length);
        call.code_interpreter.input = code;
        recorder.publish(run.id, { type: "tool_call.code", step_id: outcome.toolStep.id, index, delta });
        return;
      }
      case "tool-call":
        shownSomething = true;
        await startToolCall(part.toolCallId, part.toolName);
        outcome.toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
        return;
      case "finish":
        outcome.finishReason = part.finishReason.unified;
        outcome.usage = {
          prompt_tokens: part.usage.inputTokens.total ?? 0,
          completion_tokens: part.usage.outputTokens.total ?? 0,
          total_tokens: (part.usage.inputTokens.total ?? 0) + (part.usage.outputTokens.total ?? 0),
        };
        return;
      case "error":
        throw part.error;
      default:
        return;
    }
  };

  try {
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (outcome.firstOutputAt === undefined && isOutput(next.value)) outcome.firstOutputAt = performance.now();
      await handle(next.value);
    }
  } catch (error) {
    if (shownSomething) throw new TurnFailedAfterOutputError(error);
    throw error;
  }
  closeText();
  if (outcome.toolStep && outcome.toolStep.step_details.type === "tool_calls") {
    for (const call of outcome.toolCalls) {
      const record = outcome.toolStep.step_details.tool_calls[toolIndex.get(call.id) ?? -1];
      if (record?.type === "function") record.function.arguments = call.input;
    }
  }
  return outcome;
}

/** A part that shows the model answering: its first one marks the time to first token. */
function isOutput(part: LanguageModelV3StreamPart): boolean {
  return ((part.type === "text-delta" || part.type === "reasoning-delta") && part.delta.length > 0) || part.type === "tool-input-start" || part.type === "tool-call";
}
