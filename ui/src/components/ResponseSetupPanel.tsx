import { useId, useState } from 'react';
import { listAll } from '../api/client.js';
import type { Assistant, FileObject, VectorStore } from '../api/types.js';
import type { ResponseSetup } from '../lib/response-setup.js';
import { useAsync } from '../lib/use-async.js';
import { ErrorBanner } from './ErrorBanner.js';
import { FunctionEditors } from './FunctionEditors.js';
import { fileLabel, IdCheckList } from './IdCheckList.js';

interface Props {
  setup: ResponseSetup;
  assistants: readonly Assistant[] | undefined;
  disabled: boolean;
  onChange: (setup: ResponseSetup) => void;
}

/** Responses mode's model, instructions (or an assistant as the prompt) and tools. */
export function ResponseSetupPanel({ setup, assistants, disabled, onChange }: Props) {
  const ids = useId();
  // The pickers load only when their tool is switched on.
  const stores = useAsync(() => (setup.fileSearch ? listAll<VectorStore>('/vector_stores') : Promise.resolve(undefined)), [setup.fileSearch]);
  const files = useAsync(() => (setup.codeInterpreter ? listAll<FileObject>('/files?purpose=assistants') : Promise.resolve(undefined)), [setup.codeInterpreter]);
  const update = <K extends keyof ResponseSetup>(field: K, value: ResponseSetup[K]) => onChange({ ...setup, [field]: value });
  // Open at first while nothing is chosen; then the user opens and closes it.
  const [open, setOpen] = useState(() => !setup.model && !setup.promptId);
  const fromAssistant = setup.promptId ? 'from the assistant' : undefined;

  return (
    <details className="card setup" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Model, instructions and tools</summary>
      <fieldset className="form setup-fields" disabled={disabled}>
        <div className="grid-2">
          <div className="form">
            <label htmlFor={`${ids}-prompt`}>Assistant as prompt</label>
            <select id={`${ids}-prompt`} value={setup.promptId} onChange={(e) => update('promptId', e.target.value)}>
              <option value="">(none)</option>
              {assistants?.map((assistant) => (
                <option key={assistant.id} value={assistant.id}>
                  {assistant.name || assistant.id} ({assistant.model})
                </option>
              ))}
              {setup.promptId && assistants && !assistants.some((a) => a.id === setup.promptId) && <option value={setup.promptId}>{setup.promptId}</option>}
            </select>
          </div>
          <div className="form">
            <label htmlFor={`${ids}-model`}>Model</label>
            <input id={`${ids}-model`} value={setup.model} placeholder={fromAssistant ?? 'e.g. gpt-4o-mini'} onChange={(e) => update('model', e.target.value)} />
          </div>
        </div>
        <label htmlFor={`${ids}-instructions`}>Instructions</label>
        <textarea id={`${ids}-instructions`} rows={3} value={setup.instructions} placeholder={fromAssistant} onChange={(e) => update('instructions', e.target.value)} />
        <span className="sublabel">Tools{setup.promptId ? ' (any set here replace the assistant’s)' : ''}</span>
        <label className="check">
          <input type="checkbox" checked={setup.fileSearch} onChange={(e) => update('fileSearch', e.target.checked)} />
          File search
        </label>
        {setup.fileSearch && (
          <div className="nested" role="group" aria-label="Vector stores to search">
            <ErrorBanner error={stores.error} onRetry={stores.reload} />
            {stores.data?.length === 0 && <p className="hint">No vector stores yet.</p>}
            <IdCheckList items={stores.data} selected={setup.vectorStoreIds} onChange={(ids) => update('vectorStoreIds', ids)} label={(store) => store.name || store.id} />
          </div>
        )}
        <label className="check">
          <input type="checkbox" checked={setup.codeInterpreter} onChange={(e) => update('codeInterpreter', e.target.checked)} />
          Code interpreter
        </label>
        {setup.codeInterpreter && (
          <div className="nested" role="group" aria-label="Files for the code interpreter">
            <ErrorBanner error={files.error} onRetry={files.reload} />
            <IdCheckList items={files.data} selected={setup.codeFileIds} onChange={(ids) => update('codeFileIds', ids)} label={fileLabel} />
          </div>
        )}
        <FunctionEditors functions={setup.functions} onChange={(functions) => update('functions', functions)} />
      </fieldset>
    </details>
  );
}
