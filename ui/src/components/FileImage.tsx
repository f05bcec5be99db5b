import { useEffect, useState } from 'react';
import { describeError, fileObjectUrl } from '../api/client.js';

/** An image from `/v1/files/{id}/content`, fetched with auth and shown via a blob URL. */
export function FileImage({ fileId, alt }: { fileId: string; alt?: string }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    let created: string | undefined;
    setUrl(undefined);
    setError(undefined);
    fileObjectUrl(fileId).then(
      (objectUrl) => {
        created = objectUrl;
        if (cancelled) URL.revokeObjectURL(objectUrl);
        else setUrl(objectUrl);
      },
      (failure: unknown) => {
        if (!cancelled) setError(describeError(failure));
      },
    );
    return () => {
      cancelled = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [fileId]);

  if (error) return <div className="image-error">Image {fileId} could not be loaded: {error}</div>;
  if (!url) return <div className="image-placeholder">Loading image…</div>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className="file-image">
      <img src={url} alt={alt ?? `Image file ${fileId}`} />
    </a>
  );
}
