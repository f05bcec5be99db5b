import { ApiError } from '../api/client.js';
import { AdminKeyForm } from './AdminKeyForm.js';
import { ErrorBanner } from './ErrorBanner.js';

/** Whether a failure means the admin key is missing or wrong (401), or the server has none (403). */
export function needsAdminKey(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/** A load's failure: the admin key form when the key is what is missing, else the error with Retry. */
export function AdminAccess({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (!needsAdminKey(error)) return <ErrorBanner error={error} onRetry={onRetry} />;
  const noneOnServer = error instanceof ApiError && error.status === 403;
  return (
    <>
      <p className="banner" role="status">
        Projects and their keys are managed with the server's admin key (<code>SPOOL_ADMIN_KEY</code>). {noneOnServer ? 'This server has none set.' : 'Enter it below.'}
      </p>
      <AdminKeyForm submitLabel="Manage projects" onSaved={onRetry} />
    </>
  );
}
