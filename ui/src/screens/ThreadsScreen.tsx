import { useState } from 'react';
import { ApiError, listAll } from '../api/client.js';
import { forgetThread, getRememberedThreads, type RememberedThread } from '../api/settings.js';
import type { Thread } from '../api/types.js';
import { AsyncList } from '../components/AsyncList.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ItemCard } from '../components/ItemCard.js';
import { deleteResource } from '../lib/delete-resource.js';
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

  const remove = (id: string) => {
    const forget = () => {
      forgetThread(id);
      threads.reload();
    };
    // A thread the server no longer has is forgotten too.
    return deleteResource(`/threads/${encodeURIComponent(id)}`, {
      confirm: `Delete thread ${id} and its messages?`,
      onDeleted: forget,
      onError: (failure) => (failure instanceof ApiError && failure.status === 404 ? forget() : setError(failure)),
    });
  };

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Threads</h1>
        <a className="button primary" href={href('chat')}>
          New chat
        </a>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {threads.data && !threads.data.fromServer && <p className="hint">This server does not list threads; showing the threads opened in this browser.</p>}
      <AsyncList state={threads} items={threads.data?.rows} empty="No threads yet.">
        {(items) => (
          <ul className="card-list">
            {items.map((thread) => (
              <ItemCard
                key={thread.id}
                href={href('threads', thread.id)}
                title={thread.title || <code>{thread.id}</code>}
                meta={
                  <>
                    <code>{thread.id}</code> · {formatTime(thread.created_at)}
                  </>
                }
                links={[
                  { label: 'Open in chat', href: href('chat', thread.id) },
                  { label: 'Open in Responses', href: href('responses', thread.id) },
                ]}
                onDelete={() => remove(thread.id)}
              />
            ))}
          </ul>
        )}
      </AsyncList>
    </section>
  );
}
