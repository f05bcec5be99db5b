import { useEffect, useState } from 'react';
import { contentObjectUrl, contentPath, describeError } from '../api/client.js';

/** An image from `/v1/files/{id}/content` (or a container's file), fetched with auth and shown via a blob URL. */
export function FileImage({ fileId, containerId, alt }: { fileId: string; containerId?: string; alt?: string }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    let created: string | undefined;
    setUrl(undefined);
    setError(undefined);
    contentObjectUrl(contentPath(fileId, containerId)).then(
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
  }, [fileId, containerId]);

  if (error) return <div className="image-error">Image {fileId} could not be loaded: {error}</div>;
  if (!url) return <div className="image-placeholder">Loading image…</div>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className="file-image">
      <img src={url} alt={alt ?? `Image file ${fileId}`} />
    </a>
  );
}
