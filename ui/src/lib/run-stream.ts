/**
 * Folds Assistants streaming events into chat state: messages (with text deltas merged by content
 * index), the current run, and its live step summaries. Pure, so it is unit-tested on its own.
 */
import type { Annotation, Message, MessageContent, Run, RunStep } from '../api/types.js';

export interface ChatState {
  messages: Message[];
  run: Run | null;
  /** Steps of the current run, by id, in arrival order. */
  steps: RunStep[];
}

export const emptyChatState: ChatState = { messages: [], run: null, steps: [] };

interface ContentDelta {
  index: number;
  type: MessageContent['type'];
  text?: { value?: string; annotations?: (Partial<Annotation> & { index?: number })[] };
  image_file?: { file_id: string; detail?: string };
  image_url?: { url: string; detail?: string };
  refusal?: string;
}

interface MessageDelta {
  id: string;
  delta: { role?: Message['role']; content?: ContentDelta[] };
}

function upsert<T extends { id: string }>(items: T[], item: T): T[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index === -1) return [...items, item];
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function applyContentDelta(content: MessageContent[], part: ContentDelta): MessageContent[] {
  const copy = content.slice();
  const current = copy[part.index];
  if (part.type === 'text') {
    const base = current?.type === 'text' ? current.text : { value: '', annotations: [] };
    const annotations = base.annotations.slice();
    for (const annotation of part.text?.annotations ?? []) {
      const { index, ...rest } = annotation;
      const full = rest as Annotation;
      if (typeof index === 'number') annotations[index] = { ...annotations[index], ...full } as Annotation;
      else annotations.push(full);
    }
    copy[part.index] = { type: 'text', text: { value: base.value + (part.text?.value ?? ''), annotations: annotations.filter(Boolean) } };
  } else if (part.type === 'image_file' && part.image_file) {
    copy[part.index] = { type: 'image_file', image_file: part.image_file };
  } else if (part.type === 'image_url' && part.image_url) {
    copy[part.index] = { type: 'image_url', image_url: part.image_url };
  } else if (part.type === 'refusal') {
    const previous = current?.type === 'refusal' ? current.refusal : '';
    copy[part.index] = { type: 'refusal', refusal: previous + (part.refusal ?? '') };
  }
  // Fill holes (a delta for index 2 before 1 arrives) so rendering never meets `undefined`.
  for (let i = 0; i < copy.length; i++) copy[i] ??= { type: 'text', text: { value: '', annotations: [] } };
  return copy;
}

/** Applies one streaming event (`event` name + parsed `data`) to the state. Unknown events are ignored. */
export function applyStreamEvent(state: ChatState, event: string, data: unknown): ChatState {
  if (event.startsWith('thread.run.step.')) {
    if (event === 'thread.run.step.delta') return state; // the completed step carries everything
    const step = data as RunStep;
    return { ...state, steps: upsert(state.steps, step) };
  }
  if (event.startsWith('thread.run.')) {
    const run = data as Run;
    const steps = state.run && state.run.id !== run.id ? [] : state.steps;
    return { ...state, run, steps };
  }
  switch (event) {
    case 'thread.message.created':
    case 'thread.message.in_progress':
    case 'thread.message.completed':
    case 'thread.message.incomplete': {
      const message = data as Message;
      const existing = state.messages.find((m) => m.id === message.id);
      // `created` carries empty content; keep text streamed so far if a late snapshot is emptier.
      const content = message.content.length === 0 && existing ? existing.content : message.content;
      return { ...state, messages: upsert(state.messages, { ...message, content }) };
    }
    case 'thread.message.delta': {
      const delta = data as MessageDelta;
      const existing = state.messages.find((m) => m.id === delta.id);
      const base: Message = existing ?? {
        id: delta.id,
        object: 'thread.message',
        created_at: Math.floor(Date.now() / 1000),
        thread_id: state.run?.thread_id ?? '',
        role: delta.delta.role ?? 'assistant',
        status: 'in_progress',
        content: [],
        run_id: state.run?.id ?? null,
      };
      const content = (delta.delta.content ?? []).reduce(applyContentDelta, base.content);
      return { ...state, messages: upsert(state.messages, { ...base, content }) };
    }
    default:
      return state;
  }
}

export const TERMINAL_RUN_STATUSES: ReadonlySet<Run['status']> = new Set(['completed', 'failed', 'cancelled', 'expired', 'incomplete']);

/** Statuses in which a run is still working on its own (it will leave them without any user action). */
export const ACTIVE_RUN_STATUSES: ReadonlySet<Run['status']> = new Set(['queued', 'in_progress', 'cancelling']);
