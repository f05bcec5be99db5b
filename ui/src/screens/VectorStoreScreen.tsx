import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, listAll, uploadFile } from '../api/client.js';
import type { FileObject, VectorStore, VectorStoreFile } from '../api/types.js';
import { AsyncList } from '../components/AsyncList.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { DropZone } from '../components/DropZone.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FileName } from '../components/FileName.js';
import { deleteResource } from '../lib/delete-resource.js';
import { href } from '../lib/router.js';
import { formatBytes, formatTime, useAsync } from '../lib/use-async.js';

const POLL_MS = 1000;

const COLUMNS: readonly Column<VectorStoreFile>[] = [
  { header: 'File', cell: (file) => <FileName fileId={file.id} />, className: 'filename' },
  {
    header: 'Status',
    cell: (file) => (
      <>
        <span className={`status status-${file.status}`}>{file.status}</span>
        {file.last_error && (
          <div className="field-error">
            {file.last_error.code}: {file.last_error.message}
          </div>
        )}
      </>
    ),
  },
  { header: 'Size', cell: (file) => formatBytes(file.usage_bytes) },
  { header: 'Added', cell: (file) => formatTime(file.created_at) },
];

export function VectorStoreScreen({ vectorStoreId }: { vectorStoreId: string }) {
  const encoded = encodeURIComponent(vectorStoreId);
  const store = useAsync(() => api.get<VectorStore>(`/vector_stores/${encoded}`), [vectorStoreId]);
  const storeFiles = useAsync(() => listAll<VectorStoreFile>(`/vector_stores/${encoded}/files`), [vectorStoreId]);
  const allFiles = useAsync(() => listAll<FileObject>('/files?purpose=assistants', 1000), []);
  const [selected, setSelected] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [working, setWorking] = useState(false);
  const id = useId();

  // Poll while any file is still being ingested.
  const pending = storeFiles.data?.some((file) => file.status === 'in_progress') ?? false;
  const { reload: reloadFiles } = storeFiles;
  const { reload: reloadStore } = store;
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => {
      reloadFiles();
      reloadStore();
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [pending, storeFiles.data, reloadFiles, reloadStore]);

  const attach = async (fileId: string) => {
    setError(null);
    setWorking(true);
    try {
      await api.post<VectorStoreFile>(`/vector_stores/${encoded}/files`, { file_id: fileId });
      setSelected('');
      reloadFiles();
      reloadStore();
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
    }
  };

  const onAdd = (event: FormEvent) => {
    event.preventDefault();
    if (selected) void attach(selected);
  };

  const uploadAndAttach = async (files: File[]) => {
    setError(null);
    setWorking(true);
    try {
      for (const file of files) {
        const uploaded = await uploadFile(file);
        await api.post<VectorStoreFile>(`/vector_stores/${encoded}/files`, { file_id: uploaded.id });
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setWorking(false);
      reloadFiles();
      reloadStore();
      allFiles.reload();
    }
  };

  const detach = (fileId: string) =>
    deleteResource(`/vector_stores/${encoded}/files/${encodeURIComponent(fileId)}`, {
      onDeleted: () => {
        reloadFiles();
        reloadStore();
      },
      onError: setError,
    });

  const attachedIds = new Set(storeFiles.data?.map((file) => file.id));
  const candidates = allFiles.data?.filter((file) => !attachedIds.has(file.id)) ?? [];

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>{store.data?.name || 'Vector store'}</h1>
        <a href={href('vector-stores')}>← Vector stores</a>
      </div>
      <ErrorBanner error={store.error} onRetry={store.reload} />
      {store.data && (
        <p className="item-meta">
          <code>{store.data.id}</code> · <span className={`status status-${store.data.status}`}>{store.data.status}</span> · {formatBytes(store.data.usage_bytes)} ·
          created {formatTime(store.data.created_at)}
        </p>
      )}
      <div className="card">
        <form className="row" onSubmit={onAdd}>
          <label htmlFor={id}>Add an uploaded file</label>
          <select id={id} value={selected} onChange={(e) => setSelected(e.target.value)}>
            <option value="">Choose a file…</option>
            {candidates.map((file) => (
              <option key={file.id} value={file.id}>
                {file.filename} ({file.id})
              </option>
            ))}
          </select>
          <button type="submit" className="primary" disabled={!selected || working}>
            Add file
          </button>
        </form>
        <ErrorBanner error={allFiles.error} onRetry={allFiles.reload} />
        <DropZone onFiles={uploadAndAttach} disabled={working} />
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <h2>Files in this store</h2>
      <AsyncList state={storeFiles} items={storeFiles.data} empty="No files yet.">
        {(items) => (
          <DataTable
            columns={COLUMNS}
            rows={items}
            rowKey={(file) => file.id}
            rowData={(file) => ({ 'data-file-id': file.id })}
            actions={(file) => (
              <button type="button" className="button-small danger" onClick={() => detach(file.id)}>
                Remove
              </button>
            )}
          />
        )}
      </AsyncList>
    </section>
  );
}
