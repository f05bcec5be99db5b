import { useId } from 'react';
import { functionDraft, parseFunctionDefinition, type FunctionDraft } from '../lib/function-schema.js';

/** The function tools as JSON text boxes, each validated as it is typed, with Add and Remove buttons. */
export function FunctionEditors({ functions, onChange }: { functions: FunctionDraft[]; onChange: (functions: FunctionDraft[]) => void }) {
  const ids = useId();
  return (
    <div className="functions">
      <span className="sublabel">Functions</span>
      {functions.map((fn, index) => {
        const parsed = parseFunctionDefinition(fn.source);
        const errorId = `${ids}-fn-${fn.key}-error`;
        return (
          <div key={fn.key} className="function-editor">
            <label htmlFor={`${ids}-fn-${fn.key}`}>Function {index + 1} (JSON)</label>
            <textarea
              id={`${ids}-fn-${fn.key}`}
              className="code"
              rows={10}
              spellCheck={false}
              value={fn.source}
              aria-invalid={!parsed.ok}
              aria-describedby={errorId}
              onChange={(e) => onChange(functions.map((f) => (f.key === fn.key ? { ...f, source: e.target.value } : f)))}
            />
            {!parsed.ok && (
              <p className="field-error" id={errorId} role="alert">
                {parsed.error}
              </p>
            )}
            <button type="button" className="button-small danger" onClick={() => onChange(functions.filter((f) => f.key !== fn.key))}>
              Remove function
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...functions, functionDraft()])}>
        Add function
      </button>
    </div>
  );
}
