import { useId, useState, type FormEvent } from 'react';
import { getAdminKey, setAdminKey } from '../api/settings.js';

/** Asks for the server's admin key (`SPOOL_ADMIN_KEY`) and keeps it for this browser tab. */
export function AdminKeyForm({ submitLabel, onSaved }: { submitLabel: string; onSaved: () => void }) {
  const id = useId();
  const [key, setKey] = useState(getAdminKey);
  const save = (event: FormEvent) => {
    event.preventDefault();
    setAdminKey(key);
    onSaved();
  };
  return (
    <form className="card form" onSubmit={save}>
      <label htmlFor={id}>Admin key</label>
      <div className="row">
        <input id={id} type="password" autoComplete="off" spellCheck={false} value={key} onChange={(event) => setKey(event.target.value)} placeholder="SPOOL_ADMIN_KEY" />
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
      <p className="hint">Kept in this browser tab only; closing the tab forgets it.</p>
    </form>
  );
}
