import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, listAll } from '../api/client.js';
import type { Assistant, AssistantTool, FileObject, ResponseFormat, ToolResources, VectorStore } from '../api/types.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FunctionEditors } from '../components/FunctionEditors.js';
import { fileLabel, IdCheckList } from '../components/IdCheckList.js';
import { functionDraft, parseFunctionDefinition, type FunctionDraft } from '../lib/function-schema.js';
import { href, navigate } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';

type FormatChoice = 'auto' | 'text' | 'json_object' | 'keep';

interface Draft {
  name: string;
  description: string;
  model: string;
  instructions: string;
  temperature: string;
  format: FormatChoice;
  codeInterpreter: boolean;
  fileSearch: boolean;
  functions: FunctionDraft[];
  codeFileIds: string[];
  vectorStoreId: string;
}

/** A tool's checkbox, with its settings nested under it while it is checked. */
function ToolToggle({ label, checked, onChange, children }: { label: string; checked: boolean; onChange: (checked: boolean) => void; children: ReactNode }) {
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
      {checked && <div className="nested">{children}</div>}
    </>
  );
}

const EMPTY: Draft = {
  name: '',
  description: '',
  model: '',
  instructions: '',
  temperature: '',
  format: 'auto',
  codeInterpreter: false,
  fileSearch: false,
  functions: [],
  codeFileIds: [],
  vectorStoreId: '',
};

function formatChoice(format: ResponseFormat | null | undefined): FormatChoice {
  if (!format || format === 'auto') return 'auto';
  if (format.type === 'text' || format.type === 'json_object') return format.type;
  return 'keep'; // json_schema: not editable here, sent back unchanged
}

function draftFrom(assistant: Assistant): Draft {
  return {
    name: assistant.name ?? '',
    description: assistant.description ?? '',
    model: assistant.model,
    instructions: assistant.instructions ?? '',
    temperature: assistant.temperature === null || assistant.temperature === undefined ? '' : String(assistant.temperature),
    format: formatChoice(assistant.response_format),
    codeInterpreter: assistant.tools.some((tool) => tool.type === 'code_interpreter'),
    fileSearch: assistant.tools.some((tool) => tool.type === 'file_search'),
    functions: assistant.tools.flatMap((tool) => (tool.type === 'function' ? [functionDraft(JSON.stringify(tool.function, null, 2))] : [])),
    codeFileIds: assistant.tool_resources?.code_interpreter?.file_ids ?? [],
    vectorStoreId: assistant.tool_resources?.file_search?.vector_store_ids?.[0] ?? '',
  };
}

export function AssistantEditor({ assistantId }: { assistantId?: string }) {
  const existing = useAsync(() => (assistantId ? api.get<Assistant>(`/assistants/${encodeURIComponent(assistantId)}`) : Promise.resolve(undefined)), [assistantId]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  // Pickers load only when their tool is switched on.
  const files = useAsync(() => (draft.codeInterpreter ? listAll<FileObject>('/files?purpose=assistants') : Promise.resolve(undefined)), [draft.codeInterpreter]);
  const stores = useAsync(() => (draft.fileSearch ? listAll<VectorStore>('/vector_stores') : Promise.resolve(undefined)), [draft.fileSearch]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string>();
  const [touched, setTouched] = useState(false);
  const ids = useId();

  useEffect(() => {
    if (existing.data) setDraft(draftFrom(existing.data));
  }, [existing.data]);

  const update = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setStatus(undefined);
    setDraft((current) => ({ ...current, [field]: value }));
  };

  const parsedFunctions = draft.functions.map((f) => parseFunctionDefinition(f.source));
  const temperature = draft.temperature.trim() === '' ? null : Number(draft.temperature);
  const temperatureError = temperature !== null && (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) ? 'Temperature must be a number from 0 to 2.' : undefined;
  const modelError = draft.model.trim() === '' ? 'A model is required.' : undefined;
  const invalid = parsedFunctions.some((p) => !p.ok) || Boolean(temperatureError) || Boolean(modelError);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    const tools: AssistantTool[] = [];
    if (draft.codeInterpreter) tools.push({ type: 'code_interpreter' });
    if (draft.fileSearch) tools.push({ type: 'file_search' });
    for (const parsed of parsedFunctions) if (parsed.ok) tools.push({ type: 'function', function: parsed.value });
    const toolResources: ToolResources = {};
    if (draft.codeInterpreter) toolResources.code_interpreter = { file_ids: draft.codeFileIds };
    if (draft.fileSearch) toolResources.file_search = { vector_store_ids: draft.vectorStoreId ? [draft.vectorStoreId] : [] };
    const body: Record<string, unknown> = {
      name: draft.name.trim() || null,
      description: draft.description.trim() || null,
      model: draft.model.trim(),
      instructions: draft.instructions || null,
      tools,
      tool_resources: toolResources,
    };
    if (temperature !== null) body.temperature = temperature;
    else if (assistantId) body.temperature = null;
    if (draft.format !== 'keep') body.response_format = draft.format === 'auto' ? 'auto' : { type: draft.format };

    setSaving(true);
    setError(null);
    try {
      if (assistantId) {
        const saved = await api.post<Assistant>(`/assistants/${encodeURIComponent(assistantId)}`, body);
        existing.setData(saved);
        setStatus('Saved.');
      } else {
        await api.post<Assistant>('/assistants', body);
        navigate('assistants');
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!assistantId || !window.confirm('Delete this assistant?')) return;
    try {
      await api.delete(`/assistants/${encodeURIComponent(assistantId)}`);
      navigate('assistants');
    } catch (failure) {
      setError(failure);
    }
  };

  if (assistantId && existing.error) {
    return (
      <section className="screen narrow">
        <h1>Assistant</h1>
        <ErrorBanner error={existing.error} onRetry={existing.reload} />
        <a href={href('assistants')}>← All assistants</a>
      </section>
    );
  }

  return (
    <section className="screen narrow">
      <div className="screen-header">
        <h1>{assistantId ? 'Edit assistant' : 'New assistant'}</h1>
        <a href={href('assistants')}>← All assistants</a>
      </div>
      {assistantId && existing.loading && !existing.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <form className="card form" onSubmit={save} noValidate>
          {assistantId && (
            <p className="muted">
              <code>{assistantId}</code>
            </p>
          )}
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} value={draft.name} maxLength={256} onChange={(e) => update('name', e.target.value)} />

          <label htmlFor={`${ids}-model`}>Model</label>
          <input
            id={`${ids}-model`}
            value={draft.model}
            onChange={(e) => update('model', e.target.value)}
            placeholder="e.g. gpt-4o-mini"
            aria-invalid={touched && Boolean(modelError)}
            aria-describedby={`${ids}-model-error`}
            required
          />
          {touched && modelError && (
            <p className="field-error" id={`${ids}-model-error`}>
              {modelError}
            </p>
          )}

          <label htmlFor={`${ids}-description`}>Description</label>
          <input id={`${ids}-description`} value={draft.description} maxLength={512} onChange={(e) => update('description', e.target.value)} />

          <label htmlFor={`${ids}-instructions`}>Instructions</label>
          <textarea id={`${ids}-instructions`} rows={6} value={draft.instructions} onChange={(e) => update('instructions', e.target.value)} />

          <fieldset>
            <legend>Tools</legend>
            <ToolToggle label="Code interpreter" checked={draft.codeInterpreter} onChange={(checked) => update('codeInterpreter', checked)}>
              <span className="sublabel">Files for the code interpreter</span>
              <ErrorBanner error={files.error} onRetry={files.reload} />
              {files.data?.length === 0 && (
                <p className="hint">
                  No files uploaded yet — <a href={href('files')}>upload some</a>.
                </p>
              )}
              <IdCheckList items={files.data} selected={draft.codeFileIds} onChange={(ids) => update('codeFileIds', ids)} label={fileLabel} />
            </ToolToggle>
            <ToolToggle label="File search" checked={draft.fileSearch} onChange={(checked) => update('fileSearch', checked)}>
              <label htmlFor={`${ids}-store`} className="sublabel">
                Vector store
              </label>
              <ErrorBanner error={stores.error} onRetry={stores.reload} />
              <select id={`${ids}-store`} value={draft.vectorStoreId} onChange={(e) => update('vectorStoreId', e.target.value)}>
                <option value="">(none)</option>
                {stores.data?.map((store) => (
                  <option key={store.id} value={store.id}>
                    {store.name || store.id}
                  </option>
                ))}
                {draft.vectorStoreId && stores.data && !stores.data.some((s) => s.id === draft.vectorStoreId) && (
                  <option value={draft.vectorStoreId}>{draft.vectorStoreId}</option>
                )}
              </select>
            </ToolToggle>
            <FunctionEditors functions={draft.functions} onChange={(functions) => update('functions', functions)} />
          </fieldset>

          <div className="grid-2">
            <div>
              <label htmlFor={`${ids}-temperature`}>Temperature</label>
              <input
                id={`${ids}-temperature`}
                type="number"
                min={0}
                max={2}
                step={0.1}
                value={draft.temperature}
                placeholder="default"
                aria-invalid={Boolean(temperatureError)}
                onChange={(e) => update('temperature', e.target.value)}
              />
              {temperatureError && <p className="field-error">{temperatureError}</p>}
            </div>
            <div>
              <label htmlFor={`${ids}-format`}>Response format</label>
              <select id={`${ids}-format`} value={draft.format} onChange={(e) => update('format', e.target.value as FormatChoice)}>
                <option value="auto">auto</option>
                <option value="text">text</option>
                <option value="json_object">json_object</option>
                {draft.format === 'keep' && <option value="keep">json_schema (unchanged)</option>}
              </select>
            </div>
          </div>

          <ErrorBanner error={error} onDismiss={() => setError(null)} />
          {status && (
            <p className="banner banner-ok" role="status">
              {status}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Saving…' : assistantId ? 'Save' : 'Create assistant'}
            </button>
            {assistantId && (
              <>
                <a className="button" href={`${href('chat')}?assistant=${encodeURIComponent(assistantId)}`}>
                  Chat with it
                </a>
                <button type="button" className="danger" onClick={remove}>
                  Delete
                </button>
              </>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
