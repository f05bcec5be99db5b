import { describeError } from '../api/client.js';

interface Props {
  error: unknown;
  onDismiss?: () => void;
  onRetry?: () => void;
}

/** A readable, dismissible error message (the API's `error.message` when there is one). */
export function ErrorBanner({ error, onDismiss, onRetry }: Props) {
  if (error === null || error === undefined) return null;
  return (
    <div className="banner banner-error" role="alert">
      <span className="banner-text">{describeError(error)}</span>
      <span className="banner-actions">
        {onRetry && (
          <button type="button" className="button-small" onClick={onRetry}>
            Retry
          </button>
        )}
        {onDismiss && (
          <button type="button" className="button-small" onClick={onDismiss} aria-label="Dismiss error">
            ×
          </button>
        )}
      </span>
    </div>
  );
}
