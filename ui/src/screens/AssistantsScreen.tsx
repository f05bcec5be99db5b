import { useState } from 'react';
import { api, listAll } from '../api/client.js';
import type { Assistant } from '../api/types.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

export function toolLabels(assistant: Assistant): string {
  const names = assistant.tools.map((tool) => (tool.type === 'function' ? tool.function.name : tool.type));
  return names.length ? names.join(', ') : '—';
}

export function AssistantsScreen() {
  const assistants = useAsync(() => listAll<Assistant>('/assistants?order=desc'), []);
  const [error, setError] = useState<unknown>(null);

  const remove = async (assistant: Assistant) => {
    if (!window.confirm(`Delete assistant “${assistant.name ?? assistant.id}”?`)) return;
    try {
      await api.delete(`/assistants/${assistant.id}`);
      assistants.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Assistants</h1>
        <a className="button primary" href={href('assistants', 'new')}>
          New assistant
        </a>
      </div>
      <ErrorBanner error={assistants.error} onRetry={assistants.reload} />
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {assistants.loading && !assistants.data && <p className="muted">Loading…</p>}
      {assistants.data?.length === 0 && (
        <p className="empty">
          No assistants yet. <a href={href('assistants', 'new')}>Create one</a>.
        </p>
      )}
      {assistants.data && assistants.data.length > 0 && (
        <ul className="card-list">
          {assistants.data.map((assistant) => (
            <li key={assistant.id} className="card item">
              <div className="item-main">
                <a className="item-title" href={href('assistants', assistant.id)}>
                  {assistant.name || <em>Untitled</em>}
                </a>
                <div className="item-meta">
                  <code>{assistant.id}</code> · {assistant.model} · tools: {toolLabels(assistant)} · {formatTime(assistant.created_at)}
                </div>
                {assistant.instructions && <p className="item-desc">{assistant.instructions.slice(0, 160)}</p>}
              </div>
              <div className="item-actions">
                <a className="button" href={`${href('chat')}?assistant=${encodeURIComponent(assistant.id)}`}>
                  Chat
                </a>
                <a className="button" href={href('assistants', assistant.id)}>
                  Edit
                </a>
                <button type="button" className="danger" onClick={() => remove(assistant)}>
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
