import { useState } from 'react';
import { api, ApiError, listAll } from '../api/client.js';
import { forgetThread, getRememberedThreads, type RememberedThread } from '../api/settings.js';
import type { Thread } from '../api/types.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

interface ThreadRow {
  id: string;
  created_at: number;
  title?: string;
}

/**
 * Spool's non-standard `GET /v1/threads`; servers without it (404/405) fall back to the threads
 * this browser remembers.
 */
async function loadThreads(): Promise<{ rows: ThreadRow[]; fromServer: boolean }> {
  const remembered = new Map<string, RememberedThread>(getRememberedThreads().map((t) => [t.id, t]));
  try {
    const threads = await listAll<Thread>('/threads?order=desc', 200);
    const rows = threads.map((t) => ({ id: t.id, created_at: t.created_at, title: t.metadata?.title ?? remembered.get(t.id)?.title }));
    return { rows, fromServer: true };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
      return { rows: [...remembered.values()], fromServer: false };
    }
    throw error;
  }
}

export function ThreadsScreen() {
  const threads = useAsync(loadThreads, []);
  const [error, setError] = useState<unknown>(null);

  const remove = async (id: string) => {
    if (!window.confirm(`Delete thread ${id} and its messages?`)) return;
    try {
      await api.delete(`/threads/${encodeURIComponent(id)}`);
      forgetThread(id);
      threads.reload();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) {
        forgetThread(id);
        threads.reload();
      } else setError(failure);
    }
  };

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Threads</h1>
        <a className="button primary" href={href('chat')}>
          New chat
        </a>
      </div>
      <ErrorBanner error={threads.error} onRetry={threads.reload} />
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {threads.data && !threads.data.fromServer && <p className="hint">This server does not list threads; showing the threads opened in this browser.</p>}
      {threads.loading && !threads.data && <p className="muted">Loading…</p>}
      {threads.data?.rows.length === 0 && <p className="empty">No threads yet.</p>}
      {threads.data && threads.data.rows.length > 0 && (
        <ul className="card-list">
          {threads.data.rows.map((thread) => (
            <li key={thread.id} className="card item">
              <div className="item-main">
                <a className="item-title" href={href('threads', thread.id)}>
                  {thread.title || <code>{thread.id}</code>}
                </a>
                <div className="item-meta">
                  <code>{thread.id}</code> · {formatTime(thread.created_at)}
                </div>
              </div>
              <div className="item-actions">
                <a className="button" href={href('chat', thread.id)}>
                  Open in chat
                </a>
                <button type="button" className="danger" onClick={() => remove(thread.id)}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
