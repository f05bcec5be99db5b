import { useState } from 'react';
import { listAll } from '../api/client.js';
import type { Assistant } from '../api/types.js';
import { AsyncList } from '../components/AsyncList.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ItemCard } from '../components/ItemCard.js';
import { deleteResource } from '../lib/delete-resource.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

export function toolLabels(assistant: Assistant): string {
  const names = assistant.tools.map((tool) => (tool.type === 'function' ? tool.function.name : tool.type));
  return names.length ? names.join(', ') : '—';
}

export function AssistantsScreen() {
  const assistants = useAsync(() => listAll<Assistant>('/assistants?order=desc'), []);
  const [error, setError] = useState<unknown>(null);

  const remove = (assistant: Assistant) =>
    deleteResource(`/assistants/${assistant.id}`, {
      confirm: `Delete assistant “${assistant.name ?? assistant.id}”?`,
      onDeleted: assistants.reload,
      onError: setError,
    });

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Assistants</h1>
        <a className="button primary" href={href('assistants', 'new')}>
          New assistant
        </a>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <AsyncList
        state={assistants}
        items={assistants.data}
        empty={
          <>
            No assistants yet. <a href={href('assistants', 'new')}>Create one</a>.
          </>
        }
      >
        {(items) => (
          <ul className="card-list">
            {items.map((assistant) => (
              <ItemCard
                key={assistant.id}
                href={href('assistants', assistant.id)}
                title={assistant.name || <em>Untitled</em>}
                meta={
                  <>
                    <code>{assistant.id}</code> · {assistant.model} · tools: {toolLabels(assistant)} · {formatTime(assistant.created_at)}
                  </>
                }
                links={[
                  { label: 'Chat', href: `${href('chat')}?assistant=${encodeURIComponent(assistant.id)}` },
                  { label: 'Edit', href: href('assistants', assistant.id) },
                ]}
                onDelete={() => remove(assistant)}
              >
                {assistant.instructions && <p className="item-desc">{assistant.instructions.slice(0, 160)}</p>}
              </ItemCard>
            ))}
          </ul>
        )}
      </AsyncList>
    </section>
  );
}
