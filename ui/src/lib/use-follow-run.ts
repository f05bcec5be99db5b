/**
 * Follows a run this page did not start (or no longer streams): a reopened thread whose latest run is
 * still queued, in progress or cancelling.
 */
import { useEffect, useRef } from 'react';
import { api } from '../api/client.js';
import type { Run } from '../api/types.js';
import { ACTIVE_RUN_STATUSES } from './run-stream.js';

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', done);
      clearTimeout(timer);
      if (signal.aborted) reject(new DOMException('Aborted', 'AbortError'));
      else resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Polls `GET /threads/{thread}/runs/{run}` until the run leaves queued/in_progress/cancelling. With
 * `X-Stainless-Poll-Helper: true` the server holds each request until the run settles (or ~5 s pass), so
 * this is a handful of requests at most; a server that answers at once is polled about once a second.
 */
export async function waitForRun(threadId: string, runId: string, signal: AbortSignal): Promise<Run> {
  const path = `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}`;
  for (;;) {
    const started = Date.now();
    const run = await api.get<Run>(path, signal, { 'X-Stainless-Poll-Helper': 'true' });
    if (!ACTIVE_RUN_STATUSES.has(run.status)) return run;
    await sleep(Math.max(0, 1000 - (Date.now() - started)), signal);
  }
}

/**
 * While `run` is active (and `enabled`), waits for it to settle, then calls `onSettled` with the settled
 * run and a signal that aborts if the screen unmounts or the thread/run changes meanwhile. Failures other
 * than aborts go to `onError`.
 */
export function useFollowRun(
  threadId: string | undefined,
  run: Run | null | undefined,
  enabled: boolean,
  onSettled: (run: Run, signal: AbortSignal) => Promise<void> | void,
  onError: (error: unknown) => void,
): boolean {
  const callbacks = useRef({ onSettled, onError });
  callbacks.current = { onSettled, onError };
  const runId = run?.id;
  const following = Boolean(enabled && threadId && run && ACTIVE_RUN_STATUSES.has(run.status));

  useEffect(() => {
    if (!following || !threadId || !runId) return;
    const controller = new AbortController();
    const { signal } = controller;
    waitForRun(threadId, runId, signal)
      .then((settled) => (signal.aborted ? undefined : callbacks.current.onSettled(settled, signal)))
      .catch((error: unknown) => {
        if (!signal.aborted && !isAbort(error)) callbacks.current.onError(error);
      });
    return () => controller.abort();
  }, [following, threadId, runId]);

  return following;
}
