import { useEffect, useState } from 'react';
import { downloadFile, getFileInfo } from '../api/client.js';

/** Shows a file's filename (fetched once via `GET /v1/files/{id}`), falling back to the id. */
export function FileName({ fileId }: { fileId: string }) {
  const [name, setName] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    getFileInfo(fileId).then(
      (info) => !cancelled && setName(info.filename),
      () => !cancelled && setName(undefined),
    );
    return () => {
      cancelled = true;
    };
  }, [fileId]);
  return <span title={fileId}>{name ?? fileId}</span>;
}

/** A button-styled link that downloads a file (a File, or a container's file by its name) with the API key attached. */
export function DownloadLink({ fileId, container, onError }: { fileId: string; container?: { containerId: string; filename: string }; onError: (error: unknown) => void }) {
  return (
    <button type="button" className="link-button" onClick={() => downloadFile(fileId, container).catch(onError)}>
      ⬇ {container?.filename ?? <FileName fileId={fileId} />}
    </button>
  );
}
