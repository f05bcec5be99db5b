import { useState } from 'react';
import type { CreatedServiceAccount } from '../api/admin.js';

/** A new service account's API key, shown this once (the server keeps only its hash), with a Copy button. */
export function NewKeyNotice({ account, onDismiss }: { account: CreatedServiceAccount; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  const value = account.api_key?.value;
  if (!value) return null;
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="card new-key" role="status" aria-label="New API key">
      <p>
        The API key of <strong>{account.name}</strong>. Copy it now: it is not shown again.
      </p>
      <div className="row">
        <code className="key-value">{value}</code>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
