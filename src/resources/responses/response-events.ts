import type { CodeInterpreterCallItem, FileSearchCallItem, FunctionCallItem, MessageItem, OutputText } from "../../domain/items.js";
import type { RunStep } from "../../domain/objects.js";
import {
  codeInterpreterCallItemId,
  codeInterpreterItem,
  fileSearchCallItemId,
  fileSearchItem,
  functionCallItemId,
  messageItem,
  outputAnnotation,
  reasoningItem,
  type FileNames,
  type Included,
} from "../../engine/responses/conversation-items.js";
import type { Annotation, Reasoning, RunStatus, ToolCall } from "../../domain/objects.js";
import type { RunItemEvent } from "../../domain/run-item-events.js";
import type { ResponseState, ResponseView } from "./response-view.js";
import { viewResponse } from "./response-view.js";

/** A Responses stream event before its `sequence_number` is given. */
export type ResponseEvent = { type: string } & Record<string, unknown>;

interface OpenMessage {
  outputIndex: number;
  textOpened: boolean;
  annotations: number;
}

interface OpenCall {
  outputIndex: number;
  item: FunctionCallItem;
}

interface OpenSearch {
  outputIndex: number;
  itemId: string;
}

interface OpenCode extends OpenSearch {
  /** The code streamed so far. */
  code: string;
}

/** A tool call by its step and its place in the step. */
const callKey = (stepId: string, index: number) => `${stepId}:${index}`;

const emptyText: OutputText = { type: "output_text", text: "", annotations: [], logprobs: [] };

/**
 * Renders a response's run events (the engine's neutral ones) as the Responses API's stream events,
 * in the order the SDKs' `ResponseStream` accepts: an item is added, its content part added, its deltas,
 * its text and part done, then the item done; a function call's arguments stream between its added and
 * done events. `end` says the stream is over after the events returned.
 */
export class ResponseEventTranslator {
  private nextOutputIndex = 0;
  private readonly messages = new Map<string, OpenMessage>();
  private readonly calls = new Map<string, OpenCall>();
  private readonly searches = new Map<string, OpenSearch>();
  private readonly codes = new Map<string, OpenCode>();
  /** Output index of each reasoning item being streamed, by id. */
  private readonly reasonings = new Map<string, number>();
  /** The container the response's code runs in, from its record. */
  private containerId = "";
  private started = false;
  end = false;

  constructor(
    private readonly names: FileNames,
    private readonly load: () => Promise<ResponseState>,
    /** Whether file search results and code outputs are shown (`include`). */
    private readonly include: Included,
  ) {}

  /** The events that open the stream: the response as created (and queued, in the background), whenever it is rendered. */
  opening(state: ResponseState): ResponseEvent[] {
    this.containerId = state.record.container_id ?? "";
    const response = this.snapshot(state, "queued");
    const events: ResponseEvent[] = [{ type: "response.created", response }];
    if (response.status === "queued") events.push({ type: "response.queued", response });
    return events;
  }

  async translate(event: RunItemEvent): Promise<ResponseEvent[]> {
    switch (event.type) {
      case "run.updated":
        return this.runUpdated(event.run.status);
      case "reasoning.started":
        return this.openReasoning(event.item_id);
      case "reasoning.text":
        return this.reasoningDelta(event.item_id, event.delta);
      case "reasoning.finished":
        return this.closeReasoning(event.reasoning);
      case "message.started":
        return this.openMessage(event.message.id);
      case "message.text":
        return this.textDelta(event.message_id, event.delta);
      case "message.annotated":
        return this.annotationsAdded(event.message_id, event.annotations);
      case "message.finished":
        return this.closeMessage(await messageItem(event.message, this.names));
      case "tool_call.started":
        return this.openCall(callKey(event.step_id, event.index), event.call);
      case "tool_call.arguments":
        return this.argumentsDelta(callKey(event.step_id, event.index), event.delta);
      case "tool_call.progress":
        return event.delta.type === "code_interpreter" && event.delta.code_interpreter?.input !== undefined ? this.codeRuns(callKey(event.step_id, event.delta.index), event.delta.code_interpreter.input) : [];
      case "tool_call.code":
        return this.codeDelta(callKey(event.step_id, event.index), event.delta);
      case "step.finished":
        return event.step.status === "completed" ? this.closeCalls(event.step) : [];
      case "error":
        this.end = true;
        return [{ type: "error", code: event.error.code, message: event.error.message, param: event.error.param }];
      default:
        // Threads, runs being created, a turn's step opening and image parts have no Responses events.
        return [];
    }
  }

  private async runUpdated(status: RunStatus): Promise<ResponseEvent[]> {
    switch (status) {
      case "in_progress": {
        if (this.started) return [];
        this.started = true;
        return [{ type: "response.in_progress", response: this.snapshot(await this.load(), "in_progress") }];
      }
      case "completed":
        return this.finish("response.completed");
      case "incomplete":
        return this.finish("response.incomplete");
      case "failed":
      case "expired":
        return this.finish("response.failed");
      case "cancelled":
        // The spec has no stream event for a cancelled response: its stream just ends.
        this.end = true;
        return [];
      default:
        return [];
    }
  }

  /**
   * The response as it stood at that point of the stream, whenever the stream is rendered (a stream read
   * again later renders the same snapshots): no output or usage yet (items arrive through their own events).
   */
  private snapshot(state: ResponseState, status: "queued" | "in_progress"): ResponseView {
    return viewResponse({ ...state, run: { ...state.run, status }, output: [], usage: null });
  }

  /** Reasoning streams as one `reasoning_text` part of its item, as the SDKs accumulate it. */
  private openReasoning(itemId: string): ResponseEvent[] {
    const outputIndex = this.nextOutputIndex++;
    this.reasonings.set(itemId, outputIndex);
    const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    return [
      { type: "response.output_item.added", output_index: outputIndex, item: { ...reasoningItem({ id: itemId, text: "" }, "in_progress"), content: [] } },
      { type: "response.content_part.added", ...at, part: { type: "reasoning_text", text: "" } },
    ];
  }

  private reasoningDelta(itemId: string, delta: string): ResponseEvent[] {
    const outputIndex = this.reasonings.get(itemId);
    if (outputIndex === undefined) return [];
    return [{ type: "response.reasoning_text.delta", item_id: itemId, output_index: outputIndex, content_index: 0, delta }];
  }

  private closeReasoning(reasoning: Reasoning): ResponseEvent[] {
    const outputIndex = this.reasonings.get(reasoning.id);
    if (outputIndex === undefined) return [];
    this.reasonings.delete(reasoning.id);
    const at = { item_id: reasoning.id, output_index: outputIndex, content_index: 0 };
    const part = { type: "reasoning_text", text: reasoning.text };
    return [
      { type: "response.reasoning_text.done", ...at, text: reasoning.text },
      { type: "response.content_part.done", ...at, part },
      { type: "response.output_item.done", output_index: outputIndex, item: reasoningItem(reasoning) },
    ];
  }

  private openMessage(messageId: string): ResponseEvent[] {
    const outputIndex = this.nextOutputIndex++;
    this.messages.set(messageId, { outputIndex, textOpened: false, annotations: 0 });
    const item: MessageItem = { type: "message", id: messageId, status: "in_progress", role: "assistant", content: [] };
    return [{ type: "response.output_item.added", output_index: outputIndex, item }];
  }

  private textOpening(messageId: string, open: OpenMessage): ResponseEvent[] {
    if (open.textOpened) return [];
    open.textOpened = true;
    return [{ type: "response.content_part.added", item_id: messageId, output_index: open.outputIndex, content_index: 0, part: emptyText }];
  }

  private textDelta(messageId: string, delta: string): ResponseEvent[] {
    const open = this.messages.get(messageId);
    if (!open || !delta) return [];
    const at = { item_id: messageId, output_index: open.outputIndex, content_index: 0 };
    return [...this.textOpening(messageId, open), { type: "response.output_text.delta", ...at, delta, logprobs: [] }];
  }

  private async annotationsAdded(messageId: string, annotations: Annotation[]): Promise<ResponseEvent[]> {
    const open = this.messages.get(messageId);
    if (!open) return [];
    const events: ResponseEvent[] = [];
    const at = { item_id: messageId, output_index: open.outputIndex, content_index: 0 };
    for (const annotation of annotations) {
      const citation = await outputAnnotation(annotation, this.names);
      if (citation) events.push(...this.textOpening(messageId, open), { type: "response.output_text.annotation.added", ...at, annotation_index: open.annotations++, annotation: citation });
    }
    return events;
  }

  private closeMessage(item: MessageItem): ResponseEvent[] {
    const open = this.messages.get(item.id);
    if (!open) return [];
    this.messages.delete(item.id);
    const events: ResponseEvent[] = [];
    item.content.forEach((part, contentIndex) => {
      if (part.type !== "output_text") return;
      const at = { item_id: item.id, output_index: open.outputIndex, content_index: contentIndex };
      if (contentIndex === 0) events.push(...this.textOpening(item.id, open));
      else events.push({ type: "response.content_part.added", ...at, part: emptyText });
      events.push({ type: "response.output_text.done", ...at, text: part.text, logprobs: [] }, { type: "response.content_part.done", ...at, part });
    });
    events.push({ type: "response.output_item.done", output_index: open.outputIndex, item });
    return events;
  }

  private openCall(key: string, call: ToolCall): ResponseEvent[] {
    switch (call.type) {
      case "file_search": {
        const search = { outputIndex: this.nextOutputIndex++, itemId: fileSearchCallItemId(call.id) };
        this.searches.set(key, search);
        const item: FileSearchCallItem = { type: "file_search_call", id: search.itemId, status: "in_progress", queries: [], results: null };
        const at = { output_index: search.outputIndex, item_id: search.itemId };
        return [{ type: "response.output_item.added", output_index: search.outputIndex, item }, { type: "response.file_search_call.in_progress", ...at }, { type: "response.file_search_call.searching", ...at }];
      }
      case "code_interpreter":
        return this.openCode(key, call.id);
      case "function": {
        const item: FunctionCallItem = { type: "function_call", id: functionCallItemId(call.id), call_id: call.id, name: call.function.name, arguments: "", status: "in_progress" };
        const open = { outputIndex: this.nextOutputIndex++, item };
        this.calls.set(key, open);
        return [{ type: "response.output_item.added", output_index: open.outputIndex, item: { ...item } }];
      }
    }
  }

  private argumentsDelta(key: string, fragment: string): ResponseEvent[] {
    const open = this.calls.get(key);
    if (!open || !fragment) return [];
    open.item.arguments += fragment;
    return [{ type: "response.function_call_arguments.delta", item_id: open.item.id, output_index: open.outputIndex, delta: fragment }];
  }

  /** A call opens with its id; its code streams as the model writes it, and is done when it runs. */
  private openCode(key: string, callId: string): ResponseEvent[] {
    const open: OpenCode = { outputIndex: this.nextOutputIndex++, itemId: codeInterpreterCallItemId(callId), code: "" };
    this.codes.set(key, open);
    const item: CodeInterpreterCallItem = { type: "code_interpreter_call", id: open.itemId, status: "in_progress", container_id: this.containerId, code: "", outputs: null };
    return [{ type: "response.output_item.added", output_index: open.outputIndex, item }, { type: "response.code_interpreter_call.in_progress", output_index: open.outputIndex, item_id: open.itemId }];
  }

  private codeDelta(key: string, delta: string): ResponseEvent[] {
    const open = this.codes.get(key);
    if (!open || !delta) return [];
    open.code += delta;
    return [{ type: "response.code_interpreter_call_code.delta", output_index: open.outputIndex, item_id: open.itemId, delta }];
  }

  /** The call runs: the rest of its code (none when all of it streamed), the code done, and interpreting. */
  private codeRuns(key: string, rest: string): ResponseEvent[] {
    const open = this.codes.get(key);
    if (!open) return [];
    const at = { output_index: open.outputIndex, item_id: open.itemId };
    return [
      ...this.codeDelta(key, rest),
      { type: "response.code_interpreter_call_code.done", ...at, code: open.code },
      { type: "response.code_interpreter_call.interpreting", ...at },
    ];
  }

  private async closeCalls(step: RunStep): Promise<ResponseEvent[]> {
    if (step.step_details.type !== "tool_calls") return [];
    const events: ResponseEvent[] = [];
    for (const [index, call] of step.step_details.tool_calls.entries()) {
      const key = callKey(step.id, index);
      const code = this.codes.get(key);
      if (code && call.type === "code_interpreter") {
        this.codes.delete(key);
        events.push({ type: "response.code_interpreter_call.completed", output_index: code.outputIndex, item_id: code.itemId });
        events.push({ type: "response.output_item.done", output_index: code.outputIndex, item: await codeInterpreterItem(call, step, this.containerId, this.include.codeOutputs) });
      }
      const search = this.searches.get(key);
      if (search && call.type === "file_search") {
        this.searches.delete(key);
        events.push({ type: "response.file_search_call.completed", output_index: search.outputIndex, item_id: search.itemId });
        events.push({ type: "response.output_item.done", output_index: search.outputIndex, item: fileSearchItem(call, step, this.include.results) });
      }
      const open = this.calls.get(key);
      if (!open || call.type !== "function") continue;
      this.calls.delete(key);
      const item: FunctionCallItem = { ...open.item, arguments: call.function.arguments, status: "completed" };
      const at = { item_id: item.id, output_index: open.outputIndex };
      events.push({ type: "response.function_call_arguments.done", ...at, name: item.name, arguments: item.arguments });
      events.push({ type: "response.output_item.done", output_index: open.outputIndex, item });
    }
    return events;
  }

  private async finish(type: "response.completed" | "response.incomplete" | "response.failed"): Promise<ResponseEvent[]> {
    this.end = true;
    return [{ type, response: viewResponse(await this.load()) }];
  }
}
