/**
 * Follows a conversation's latest response this page did not start: the conversation was reopened mid-answer,
 * or another client's response is running on it.
 */
import { useEffect, useRef } from 'react';
import { api, getStream, type StreamEvent } from '../api/client.js';
import type { ResponseObject } from '../api/response-types.js';
import type { Run } from '../api/types.js';
import { ACTIVE_RUN_STATUSES } from './run-stream.js';
import { waitForRun } from './use-follow-run.js';

const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * A background response's stream is resumed from its start (`GET /responses/{id}?stream=true`), so its
 * text arrives token by token as if this page had started it; a response created in the foreground (its
 * stream cannot be resumed) or an Assistants run is polled until it settles. Then `onSettled` runs, with a
 * signal that aborts if the screen unmounts or the conversation changes meanwhile.
 */
export function useFollowResponse(
  conversationId: string | undefined,
  latest: Run | null,
  enabled: boolean,
  handlers: { onEvent: (event: StreamEvent) => void; onSettled: (signal: AbortSignal) => Promise<void>; onError: (error: unknown) => void },
): boolean {
  const current = useRef(handlers);
  current.current = handlers;
  const runId = latest?.id;
  const following = Boolean(enabled && conversationId && latest && ACTIVE_RUN_STATUSES.has(latest.status));

  useEffect(() => {
    if (!following || !conversationId || !runId) return;
    const controller = new AbortController();
    const { signal } = controller;
    const follow = async () => {
      const path = `/responses/${encodeURIComponent(runId)}`;
      const resumable = runId.startsWith('resp_') && (await api.get<ResponseObject>(path, signal)).background === true;
      if (resumable) await getStream(`${path}?stream=true`, (event) => current.current.onEvent(event), signal);
      else await waitForRun(conversationId, runId, signal);
      if (!signal.aborted) await current.current.onSettled(signal);
    };
    follow().catch((error: unknown) => {
      if (!signal.aborted && !isAbort(error)) current.current.onError(error);
    });
    return () => controller.abort();
  }, [following, conversationId, runId]);

  return following;
}
