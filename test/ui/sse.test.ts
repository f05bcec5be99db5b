import { describe, expect, it } from 'vitest';
import { readSse, SseParser } from '../../ui/src/api/sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('SseParser', () => {
  it('parses named events with JSON data and the [DONE] terminator', () => {
    const parser = new SseParser();
    const events = parser.feed('event: thread.message.delta\ndata: {"id":"msg_1"}\n\nevent: done\ndata: [DONE]\n\n');
    expect(events).toEqual([
      { event: 'thread.message.delta', data: '{"id":"msg_1"}' },
      { event: 'done', data: '[DONE]' },
    ]);
  });

  it('handles events split across arbitrary chunk boundaries and CRLF line ends', () => {
    const text = 'event: a\r\ndata: {"x":\r\ndata: 1}\r\n\r\n: comment\r\ndata: plain\r\n\r\n';
    for (let size = 1; size <= text.length; size++) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.feed(text.slice(i, i + size)));
      events.push(...parser.flush());
      expect(events).toEqual([
        { event: 'a', data: '{"x":\n1}' },
        { event: 'message', data: 'plain' },
      ]);
    }
  });

  it('ignores events without data, keeps ids, and flushes a final unterminated event', () => {
    const parser = new SseParser();
    expect(parser.feed('event: ping\n\nid: 7\nretry: 10\ndata:x')).toEqual([]);
    expect(parser.flush()).toEqual([{ event: 'message', data: 'x', id: '7' }]);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: 안녕\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(stream)) events.push(event);
    expect(events).toEqual([{ event: 'message', data: '안녕' }]);
  });

  it('yields events as they complete', async () => {
    const events = [];
    for await (const event of readSse(streamOf(['event: x\nda', 'ta: 1\n\nevent: y\ndata: 2\n\n']))) events.push(event.event);
    expect(events).toEqual(['x', 'y']);
  });
});
