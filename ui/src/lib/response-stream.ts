/**
 * Folds Responses streaming events into the conversation on screen: output items are added, their text
 * and function arguments grow delta by delta, and the response's final snapshot settles them. Pure, so
 * it is unit-tested on its own.
 */
import type { ResponseFileCitation, ResponseItem, ResponseObject, ResponseOutputContent } from '../api/response-types.js';

export interface ResponsesChatState {
  /** The conversation's items, oldest first, with the streaming response's output at the end. */
  items: ResponseItem[];
  /** The latest response this page started, as last reported. */
  response: ResponseObject | null;
}

export const emptyResponsesChat: ResponsesChatState = { items: [], response: null };

interface At {
  item_id: string;
  content_index?: number;
}

type OutputText = Extract<ResponseOutputContent, { type: 'output_text' }>;

function upsert(items: ResponseItem[], item: ResponseItem): ResponseItem[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...items, item];
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function updateItem(state: ResponsesChatState, id: string, change: (item: ResponseItem) => ResponseItem): ResponsesChatState {
  const index = state.items.findIndex((item) => item.id === id);
  const current = state.items[index];
  if (!current) return state;
  const items = state.items.slice();
  items[index] = change(current);
  return { ...state, items };
}

/** Changes the output text part at `at.content_index` of a message item (creating it if it is missing). */
function updateText(state: ResponsesChatState, at: At, change: (part: OutputText) => OutputText): ResponsesChatState {
  return updateItem(state, at.item_id, (item) => {
    if (item.type !== 'message') return item;
    const index = at.content_index ?? 0;
    const content = item.content.slice();
    const current = content[index];
    const part: OutputText = current?.type === 'output_text' ? current : { type: 'output_text', text: '', annotations: [] };
    content[index] = change(part);
    for (let i = 0; i < content.length; i++) content[i] ??= { type: 'output_text', text: '', annotations: [] };
    return { ...item, content };
  });
}

/** A reasoning item's text (Spool sends it as one reasoning_text part). */
export function reasoningText(item: Extract<ResponseItem, { type: 'reasoning' }>): string {
  return (item.content ?? []).map((part) => part.text).join('') || item.summary.map((part) => part.text).join('\n');
}

/** Applies one streaming event (its `event:` name and parsed data) to the state. Unknown events are ignored. */
export function applyResponseEvent(state: ResponsesChatState, event: string, data: unknown): ResponsesChatState {
  const payload = data as Record<string, unknown>;
  switch (event) {
    case 'response.created':
    case 'response.queued':
    case 'response.in_progress':
      return { ...state, response: payload.response as ResponseObject };
    case 'response.completed':
    case 'response.failed':
    case 'response.incomplete': {
      const response = payload.response as ResponseObject;
      return { items: response.output.reduce(upsert, state.items), response };
    }
    case 'response.output_item.added':
    case 'response.output_item.done':
      return { ...state, items: upsert(state.items, payload.item as ResponseItem) };
    case 'response.output_text.delta':
      return updateText(state, payload as unknown as At, (part) => ({ ...part, text: part.text + String(payload.delta ?? '') }));
    case 'response.output_text.done':
      return updateText(state, payload as unknown as At, (part) => ({ ...part, text: String(payload.text ?? part.text) }));
    case 'response.output_text.annotation.added':
      return updateText(state, payload as unknown as At, (part) => {
        const annotations = part.annotations.slice();
        annotations[Number(payload.annotation_index ?? annotations.length)] = payload.annotation as ResponseFileCitation;
        return { ...part, annotations: annotations.filter(Boolean) };
      });
    case 'response.reasoning_text.delta':
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'reasoning' ? { ...item, content: [{ type: 'reasoning_text', text: reasoningText(item) + String(payload.delta ?? '') }] } : item));
    case 'response.function_call_arguments.delta':
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'function_call' ? { ...item, arguments: item.arguments + String(payload.delta ?? '') } : item));
    case 'response.function_call_arguments.done':
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'function_call' ? { ...item, arguments: String(payload.arguments ?? item.arguments) } : item));
    case 'response.code_interpreter_call.in_progress':
    case 'response.code_interpreter_call.interpreting':
    case 'response.code_interpreter_call.completed': {
      const status = event.slice('response.code_interpreter_call.'.length) as 'in_progress' | 'interpreting' | 'completed';
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'code_interpreter_call' ? { ...item, status } : item));
    }
    case 'response.code_interpreter_call_code.delta':
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'code_interpreter_call' ? { ...item, code: (item.code ?? '') + String(payload.delta ?? '') } : item));
    case 'response.code_interpreter_call_code.done':
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'code_interpreter_call' ? { ...item, code: String(payload.code ?? item.code ?? '') } : item));
    case 'response.file_search_call.in_progress':
    case 'response.file_search_call.searching':
    case 'response.file_search_call.completed': {
      const status = event.slice('response.file_search_call.'.length) as 'in_progress' | 'searching' | 'completed';
      return updateItem(state, String(payload.item_id), (item) => (item.type === 'file_search_call' ? { ...item, status } : item));
    }
    default:
      return state;
  }
}

export const TERMINAL_RESPONSE_STATUSES: ReadonlySet<ResponseObject['status']> = new Set(['completed', 'failed', 'incomplete', 'cancelled']);
