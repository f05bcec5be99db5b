import { describe, expect, it } from 'vitest';
import type { Message, Run } from '../../ui/src/api/types.js';
import { applyStreamEvent, emptyChatState, type ChatState } from '../../ui/src/lib/run-stream.js';

const run = (status: Run['status'], extra: Partial<Run> = {}): Run => ({
  id: 'run_1',
  object: 'thread.run',
  created_at: 1,
  thread_id: 'thread_1',
  assistant_id: 'asst_1',
  status,
  ...extra,
});

const created: Message = { id: 'msg_1', object: 'thread.message', created_at: 1, thread_id: 'thread_1', role: 'assistant', status: 'in_progress', content: [] };

function apply(events: [string, unknown][], state: ChatState = emptyChatState): ChatState {
  return events.reduce((current, [event, data]) => applyStreamEvent(current, event, data), state);
}

describe('applyStreamEvent', () => {
  it('concatenates text deltas by content index and appends annotations', () => {
    const state = apply([
      ['thread.run.created', run('queued')],
      ['thread.message.created', created],
      ['thread.message.delta', { id: 'msg_1', delta: { content: [{ index: 0, type: 'text', text: { value: 'Hel' } }] } }],
      ['thread.message.delta', { id: 'msg_1', delta: { content: [{ index: 0, type: 'text', text: { value: 'lo 안녕' } }] } }],
      [
        'thread.message.delta',
        {
          id: 'msg_1',
          delta: { content: [{ index: 0, type: 'text', text: { value: '【0†a】', annotations: [{ index: 0, type: 'file_citation', text: '【0†a】', start_index: 8, end_index: 13, file_citation: { file_id: 'file_1' } }] } }] },
        },
      ],
    ]);
    const content = state.messages[0]?.content[0];
    expect(content?.type === 'text' && content.text.value).toBe('Hello 안녕【0†a】');
    expect(content?.type === 'text' && content.text.annotations).toHaveLength(1);
    expect(state.run?.status).toBe('queued');
  });

  it('creates a message from a delta that arrives before message.created, and keeps streamed text if a snapshot is empty', () => {
    let state = apply([['thread.message.delta', { id: 'msg_2', delta: { content: [{ index: 0, type: 'text', text: { value: 'Hi' } }] } }]]);
    expect(state.messages).toHaveLength(1);
    state = apply([['thread.message.in_progress', { ...created, id: 'msg_2' }]], state);
    const content = state.messages[0]?.content[0];
    expect(content?.type === 'text' && content.text.value).toBe('Hi');
  });

  it('replaces the message with the completed snapshot and tracks run status and steps', () => {
    const completed: Message = { ...created, status: 'completed', content: [{ type: 'text', text: { value: 'Final', annotations: [] } }] };
    const state = apply([
      ['thread.message.created', created],
      ['thread.message.completed', completed],
      ['thread.run.step.created', { id: 'step_1', status: 'in_progress' }],
      ['thread.run.step.completed', { id: 'step_1', status: 'completed' }],
      ['thread.run.requires_action', run('requires_action')],
    ]);
    expect(state.messages).toEqual([completed]);
    expect(state.steps).toHaveLength(1);
    expect(state.steps[0]?.status).toBe('completed');
    expect(state.run?.status).toBe('requires_action');
  });

  it('ignores unknown events', () => {
    expect(apply([['thread.unknown', {}]])).toBe(emptyChatState);
  });
});
