/**
 * Conversation items seen the way the Assistants screens draw them: a message item becomes a thread
 * message (so it renders with the same Markdown, footnotes and images), and function calls still
 * waiting for an output become the tool-output form's calls. Pure, so it is unit-tested on its own.
 */
import type { MessageItem, ResponseContainerFileCitation, ResponseFileCitation, ResponseItem } from '../api/response-types.js';
import type { Annotation, FunctionToolCall, Message, MessageContent } from '../api/types.js';

function isCitation(annotation: { type: string }): annotation is ResponseFileCitation {
  return annotation.type === 'file_citation' && typeof (annotation as ResponseFileCitation).file_id === 'string';
}

/**
 * A Responses citation points at one position in the text. Spool keeps the model's `【…】` marker there
 * (it ends at the index, and names the page), so the footnote replaces the marker; without one the
 * footnote is inserted at the index.
 */
export function citationAnnotation(text: string, citation: ResponseFileCitation): Annotation {
  const end = Math.max(0, Math.min(citation.index, text.length));
  const start = text.endsWith('】', end) ? text.lastIndexOf('【', end - 1) : -1;
  const from = start === -1 ? end : start;
  return { type: 'file_citation', text: text.slice(from, end), start_index: from, end_index: end, file_citation: { file_id: citation.file_id } };
}

function isContainerFile(annotation: { type: string }): annotation is ResponseContainerFileCitation {
  return annotation.type === 'container_file_citation';
}

/** A link to a file the code wrote becomes a download link, as an Assistants `file_path` annotation does. */
function containerFileAnnotation(text: string, citation: ResponseContainerFileCitation): Annotation {
  return {
    type: 'file_path',
    text: text.slice(citation.start_index, citation.end_index),
    start_index: citation.start_index,
    end_index: citation.end_index,
    file_path: { file_id: citation.file_id, container_id: citation.container_id },
  };
}

function textAnnotations(text: string, annotations: readonly { type: string }[]): Annotation[] {
  return annotations.flatMap((annotation) => {
    if (isCitation(annotation)) return [citationAnnotation(text, annotation)];
    return isContainerFile(annotation) ? [containerFileAnnotation(text, annotation)] : [];
  });
}

function messageContent(part: MessageItem['content'][number]): MessageContent | undefined {
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: { value: part.text, annotations: [] } };
    case 'output_text':
      return { type: 'text', text: { value: part.text, annotations: textAnnotations(part.text, part.annotations) } };
    case 'refusal':
      return { type: 'refusal', refusal: part.refusal };
    case 'input_image':
      if (part.file_id) return { type: 'image_file', image_file: { file_id: part.file_id } };
      return part.image_url ? { type: 'image_url', image_url: { url: part.image_url } } : undefined;
    default:
      return undefined;
  }
}

/** A user or assistant message item as a thread message; system and developer messages are not drawn as bubbles. */
export function itemMessage(item: MessageItem, conversationId: string): Message | undefined {
  if (item.role !== 'user' && item.role !== 'assistant') return undefined;
  const content = item.content.flatMap((part) => messageContent(part) ?? []);
  const status = item.status === 'in_progress' || item.status === 'incomplete' ? item.status : 'completed';
  return { id: item.id, object: 'thread.message', created_at: 0, thread_id: conversationId, role: item.role, status, content, run_id: null };
}

/**
 * The function calls the conversation ends with that have no output yet: the next response must answer
 * them. Calls before the last message were left behind (a cancelled run's), and nothing waits on them.
 */
export function pendingFunctionCalls(items: readonly ResponseItem[]): FunctionToolCall[] {
  const tail = items.slice(items.findLastIndex((item) => item.type === 'message') + 1);
  const answered = new Set(tail.flatMap((item) => (item.type === 'function_call_output' ? [item.call_id] : [])));
  return tail.flatMap((item) =>
    item.type === 'function_call' && item.status !== 'in_progress' && !answered.has(item.call_id)
      ? [{ id: item.call_id, type: 'function' as const, function: { name: item.name, arguments: item.arguments } }]
      : [],
  );
}

/** The output a function call was given, by call id. */
export function functionOutputs(items: readonly ResponseItem[]): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const item of items) {
    if (item.type !== 'function_call_output') continue;
    const text = typeof item.output === 'string' ? item.output : item.output.map((part) => (part.type === 'input_text' ? part.text : '[image]')).join('\n');
    outputs.set(item.call_id, text);
  }
  return outputs;
}

/** The items to draw: a function call's output is drawn with its call, so it is left out when its call is there. */
export function drawnItems(items: readonly ResponseItem[]): ResponseItem[] {
  const calls = new Set(items.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : [])));
  return items.filter((item) => item.type !== 'function_call_output' || !calls.has(item.call_id));
}
