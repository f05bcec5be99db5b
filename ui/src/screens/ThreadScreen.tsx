import { useState } from 'react';
import { listAll } from '../api/client.js';
import type { Message, Run } from '../api/types.js';
import { ConversationItems } from '../components/ConversationItems.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ItemCard } from '../components/ItemCard.js';
import { MessageView } from '../components/MessageView.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';
import { useFollowRun } from '../lib/use-follow-run.js';

export function ThreadScreen({ threadId }: { threadId: string }) {
  const encoded = encodeURIComponent(threadId);
  const messages = useAsync(() => listAll<Message>(`/threads/${encoded}/messages?order=asc`), [threadId]);
  const runs = useAsync(() => listAll<Run>(`/threads/${encoded}/runs?order=desc`, 100), [threadId]);
  const [error, setError] = useState<unknown>(null);
  // Conversations created through the Responses side are read as items first: their tool calls are items, not messages.
  const [view, setView] = useState<'messages' | 'items'>(threadId.startsWith('conv_') ? 'items' : 'messages');
  const [settled, setSettled] = useState(0);
  // The latest run is still going (another client's, or a page reloaded mid-answer): reload once it settles.
  useFollowRun(threadId, runs.data?.[0], !runs.loading, () => {
    messages.reload();
    runs.reload();
    setSettled((count) => count + 1);
  }, setError);

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>
          Thread <code className="small">{threadId}</code>
        </h1>
        <span className="row">
          <a href={href('threads')}>← Threads</a>
          <a className="button" href={href('responses', threadId)}>
            Continue in Responses
          </a>
          <a className="button primary" href={href('chat', threadId)}>
            Continue in chat
          </a>
        </span>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <div className="thread-layout">
        <div className="thread-messages">
          <div className="row view-switch" role="group" aria-label="Show the thread as">
            <h2>{view === 'messages' ? 'Messages' : 'Items'}</h2>
            <button type="button" className="button-small" aria-pressed={view === 'messages'} onClick={() => setView('messages')}>
              Messages
            </button>
            <button type="button" className="button-small" aria-pressed={view === 'items'} onClick={() => setView('items')}>
              Conversation items
            </button>
          </div>
          {view === 'items' ? (
            <ConversationItems conversationId={threadId} version={settled} onError={setError} />
          ) : (
            <>
              <ErrorBanner error={messages.error} onRetry={messages.reload} />
              {messages.loading && !messages.data && <p className="muted">Loading…</p>}
              {messages.data?.length === 0 && <p className="empty">No messages.</p>}
              <div className="messages static">
                {messages.data?.map((message) => (
                  <MessageView key={message.id} message={message} onError={setError} />
                ))}
              </div>
            </>
          )}
        </div>
        <aside className="thread-runs">
          <h2>Runs</h2>
          <ErrorBanner error={runs.error} onRetry={runs.reload} />
          {runs.data?.length === 0 && <p className="empty">No runs.</p>}
          <ul className="card-list">
            {runs.data?.map((run) => (
              <ItemCard
                key={run.id}
                href={href('runs', threadId, run.id)}
                title={<code>{run.id}</code>}
                meta={
                  <>
                    <span className={`status status-${run.status}`}>{run.status}</span> · {formatTime(run.created_at)}
                    {run.usage ? ` · ${run.usage.total_tokens} tokens` : ''}
                  </>
                }
              />
            ))}
          </ul>
        </aside>
      </div>
    </section>
  );
}
