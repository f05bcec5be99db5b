import { useState } from 'react';
import { api, downloadFile, listAll, uploadFile } from '../api/client.js';
import type { FileObject } from '../api/types.js';
import { DropZone } from '../components/DropZone.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { formatBytes, formatTime, useAsync } from '../lib/use-async.js';

export function FilesScreen() {
  const files = useAsync(() => listAll<FileObject>('/files', 1000), []);
  const [uploading, setUploading] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);

  const upload = async (selected: File[]) => {
    setError(null);
    setUploading(selected.map((file) => file.name));
    try {
      for (const file of selected) await uploadFile(file);
    } catch (failure) {
      setError(failure);
    } finally {
      setUploading([]);
      files.reload();
    }
  };

  const remove = async (file: FileObject) => {
    if (!window.confirm(`Delete ${file.filename}?`)) return;
    try {
      await api.delete(`/files/${encodeURIComponent(file.id)}`);
      files.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Files</h1>
      </div>
      <DropZone onFiles={upload} disabled={uploading.length > 0} />
      {uploading.length > 0 && (
        <p className="muted" role="status">
          Uploading {uploading.join(', ')}…
        </p>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <ErrorBanner error={files.error} onRetry={files.reload} />
      {files.loading && !files.data && <p className="muted">Loading…</p>}
      {files.data?.length === 0 && <p className="empty">No files uploaded.</p>}
      {files.data && files.data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Purpose</th>
                <th scope="col">Size</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((file) => (
                <tr key={file.id}>
                  <td className="filename">{file.filename}</td>
                  <td>
                    <code>{file.id}</code>
                  </td>
                  <td>{file.purpose}</td>
                  <td>{formatBytes(file.bytes)}</td>
                  <td>{formatTime(file.created_at)}</td>
                  <td className="actions">
                    <button type="button" className="button-small" onClick={() => downloadFile(file.id).catch(setError)} aria-label={`Download ${file.filename}`}>
                      Download
                    </button>
                    <button type="button" className="button-small danger" onClick={() => remove(file)} aria-label={`Delete ${file.filename}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
