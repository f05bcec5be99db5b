import { useId, useState, type FormEvent } from 'react';
import type { FunctionToolCall } from '../api/types.js';

interface Props {
  toolCalls: FunctionToolCall[];
  busy: boolean;
  onSubmit: (outputs: { tool_call_id: string; output: string }[]) => void;
}

export function prettyArguments(source: string): string {
  try {
    return JSON.stringify(JSON.parse(source), null, 2);
  } catch {
    return source;
  }
}

/** The run is waiting for function results: one output box per tool call, submitted together. */
export function ToolOutputsForm({ toolCalls, busy, onSubmit }: Props) {
  const ids = useId();
  const [outputs, setOutputs] = useState<Record<string, string>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(toolCalls.map((call) => ({ tool_call_id: call.id, output: outputs[call.id] ?? '' })));
  };

  return (
    <form className="card tool-form" onSubmit={submit} aria-label="Submit tool outputs">
      <h2>The assistant called {toolCalls.length === 1 ? 'a function' : `${toolCalls.length} functions`}</h2>
      <p className="hint">Run the call(s) yourself and paste each result below; the run then continues.</p>
      {toolCalls.map((call) => (
        <div key={call.id} className="tool-call">
          <div className="tool-call-head">
            <strong className="tool-name">{call.function.name}</strong> <code className="muted">{call.id}</code>
          </div>
          <pre className="code-block" aria-label={`Arguments of ${call.function.name}`}>
            {prettyArguments(call.function.arguments)}
          </pre>
          <label htmlFor={`${ids}-${call.id}`}>Output of {call.function.name}</label>
          <textarea
            id={`${ids}-${call.id}`}
            className="code"
            rows={3}
            value={outputs[call.id] ?? ''}
            placeholder='e.g. {"temperature": 21}'
            onChange={(event) => setOutputs((current) => ({ ...current, [call.id]: event.target.value }))}
          />
        </div>
      ))}
      <button type="submit" className="primary" disabled={busy}>
        Submit tool output{toolCalls.length === 1 ? '' : 's'}
      </button>
    </form>
  );
}
