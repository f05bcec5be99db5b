import { useId, useState, type FormEvent } from 'react';
import { api, listAll } from '../api/client.js';
import type { VectorStore } from '../api/types.js';
import { AsyncList } from '../components/AsyncList.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ItemCard } from '../components/ItemCard.js';
import { deleteResource } from '../lib/delete-resource.js';
import { href } from '../lib/router.js';
import { formatBytes, formatTime, useAsync } from '../lib/use-async.js';

export function VectorStoresScreen() {
  const stores = useAsync(() => listAll<VectorStore>('/vector_stores'), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const id = useId();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreating(true);
    setError(null);
    try {
      await api.post<VectorStore>('/vector_stores', name.trim() ? { name: name.trim() } : {});
      setName('');
      stores.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setCreating(false);
    }
  };

  const remove = (store: VectorStore) =>
    deleteResource(`/vector_stores/${encodeURIComponent(store.id)}`, {
      confirm: `Delete vector store “${store.name ?? store.id}”? Its files stay uploaded.`,
      onDeleted: stores.reload,
      onError: setError,
    });

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Vector stores</h1>
      </div>
      <form className="card row" onSubmit={create}>
        <label htmlFor={id}>New vector store</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} placeholder="Name, e.g. 제품 설명서" />
        <button type="submit" className="primary" disabled={creating}>
          Create
        </button>
      </form>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <AsyncList state={stores} items={stores.data} empty="No vector stores.">
        {(items) => (
          <ul className="card-list">
            {items.map((store) => (
              <ItemCard
                key={store.id}
                href={href('vector-stores', store.id)}
                title={store.name || <code>{store.id}</code>}
                meta={
                  <>
                    <code>{store.id}</code> · <span className={`status status-${store.status}`}>{store.status}</span> · {store.file_counts.completed}/
                    {store.file_counts.total} files ready
                    {store.file_counts.failed ? ` · ${store.file_counts.failed} failed` : ''} · {formatBytes(store.usage_bytes)} · {formatTime(store.created_at)}
                  </>
                }
                links={[{ label: 'Files', href: href('vector-stores', store.id) }]}
                onDelete={() => remove(store)}
              />
            ))}
          </ul>
        )}
      </AsyncList>
    </section>
  );
}
