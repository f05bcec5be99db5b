import { useState, type FormEvent } from 'react';
import { api } from '../api/client.js';
import { getApiKey, setApiKey } from '../api/settings.js';
import type { ApiList, Assistant } from '../api/types.js';
import { ErrorBanner } from '../components/ErrorBanner.js';

export function SettingsScreen() {
  const [key, setKey] = useState(getApiKey);
  const [visible, setVisible] = useState(false);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<unknown>(null);

  const save = (event: FormEvent) => {
    event.preventDefault();
    setApiKey(key);
    setStatus(key.trim() ? 'API key saved in this browser.' : 'API key cleared.');
  };

  const test = async () => {
    setError(null);
    setStatus(undefined);
    setApiKey(key);
    try {
      await api.get<ApiList<Assistant>>('/assistants?limit=1');
      setStatus('Connected: the server accepted the request.');
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="screen narrow">
      <h1>Settings</h1>
      <form className="card form" onSubmit={save}>
        <label htmlFor="api-key">API key</label>
        <p className="hint">
          Needed only when the server runs with <code>SPOOL_API_KEYS</code>. Stored in this browser's localStorage and sent
          as <code>Authorization: Bearer …</code>.
        </p>
        <div className="row">
          <input
            id="api-key"
            type={visible ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(event) => setKey(event.target.value)}
            placeholder="sk-…"
          />
          <button type="button" onClick={() => setVisible((v) => !v)} aria-pressed={visible}>
            {visible ? 'Hide' : 'Show'}
          </button>
        </div>
        <div className="row">
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={test}>
            Test connection
          </button>
          <button
            type="button"
            onClick={() => {
              setKey('');
              setApiKey('');
              setStatus('API key cleared.');
            }}
          >
            Clear
          </button>
        </div>
        {status && (
          <p className="banner banner-ok" role="status">
            {status}
          </p>
        )}
        <ErrorBanner error={error} onDismiss={() => setError(null)} />
      </form>
    </section>
  );
}
