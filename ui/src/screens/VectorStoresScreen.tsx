import { useId, useState, type FormEvent } from 'react';
import { api, listAll } from '../api/client.js';
import type { VectorStore } from '../api/types.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
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

  const remove = async (store: VectorStore) => {
    if (!window.confirm(`Delete vector store “${store.name ?? store.id}”? Its files stay uploaded.`)) return;
    try {
      await api.delete(`/vector_stores/${encodeURIComponent(store.id)}`);
      stores.reload();
    } catch (failure) {
      setError(failure);
    }
  };

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
      <ErrorBanner error={stores.error} onRetry={stores.reload} />
      {stores.loading && !stores.data && <p className="muted">Loading…</p>}
      {stores.data?.length === 0 && <p className="empty">No vector stores.</p>}
      <ul className="card-list">
        {stores.data?.map((store) => (
          <li key={store.id} className="card item">
            <div className="item-main">
              <a className="item-title" href={href('vector-stores', store.id)}>
                {store.name || <code>{store.id}</code>}
              </a>
              <div className="item-meta">
                <code>{store.id}</code> · <span className={`status status-${store.status}`}>{store.status}</span> · {store.file_counts.completed}/
                {store.file_counts.total} files ready
                {store.file_counts.failed ? ` · ${store.file_counts.failed} failed` : ''} · {formatBytes(store.usage_bytes)} · {formatTime(store.created_at)}
              </div>
            </div>
            <div className="item-actions">
              <a className="button" href={href('vector-stores', store.id)}>
                Files
              </a>
              <button type="button" className="danger" onClick={() => remove(store)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
