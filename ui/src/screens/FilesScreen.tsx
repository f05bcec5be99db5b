import { useState } from 'react';
import { downloadFile, listAll, uploadFile } from '../api/client.js';
import type { FileObject } from '../api/types.js';
import { AsyncList } from '../components/AsyncList.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { DropZone } from '../components/DropZone.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { deleteResource } from '../lib/delete-resource.js';
import { formatBytes, formatTime, useAsync } from '../lib/use-async.js';

const COLUMNS: readonly Column<FileObject>[] = [
  { header: 'Name', cell: (file) => file.filename, className: 'filename' },
  { header: 'ID', cell: (file) => <code>{file.id}</code> },
  { header: 'Purpose', cell: (file) => file.purpose },
  { header: 'Size', cell: (file) => formatBytes(file.bytes) },
  { header: 'Created', cell: (file) => formatTime(file.created_at) },
];

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

  const remove = (file: FileObject) =>
    deleteResource(`/files/${encodeURIComponent(file.id)}`, { confirm: `Delete ${file.filename}?`, onDeleted: files.reload, onError: setError });

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
      <AsyncList state={files} items={files.data} empty="No files uploaded.">
        {(items) => (
          <DataTable
            columns={COLUMNS}
            rows={items}
            rowKey={(file) => file.id}
            actions={(file) => (
              <>
                <button type="button" className="button-small" onClick={() => downloadFile(file.id).catch(setError)} aria-label={`Download ${file.filename}`}>
                  Download
                </button>
                <button type="button" className="button-small danger" onClick={() => remove(file)} aria-label={`Delete ${file.filename}`}>
                  Delete
                </button>
              </>
            )}
          />
        )}
      </AsyncList>
    </section>
  );
}
