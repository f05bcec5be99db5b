import type { ApiErrorBody, ApiList, CodeInterpreterOutput, Run, RunStep, StepToolCall, Usage } from '../api/types.js';
import { api, ApiError } from '../api/client.js';
import { AsyncList } from '../components/AsyncList.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { FileImage } from '../components/FileImage.js';
import { FileName } from '../components/FileName.js';
import { prettyArguments } from '../components/ToolOutputsForm.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

const INCLUDE_CONTENT = 'include[]=step_details.tool_calls[*].file_search.results[*].content';

/** Lists all steps in order, asking for file-search result content (retrying without `include` if refused). */
async function loadSteps(threadId: string, runId: string): Promise<RunStep[]> {
  const base = `/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}/steps?order=asc&limit=100`;
  try {
    return (await api.get<ApiList<RunStep>>(`${base}&${INCLUDE_CONTENT}`)).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return (await api.get<ApiList<RunStep>>(base)).data;
    throw error;
  }
}

function duration(start: number | null | undefined, end: number | null | undefined): string {
  if (!start || !end) return '';
  return ` (${Math.max(0, end - start)} s)`;
}

function UsageLine({ usage }: { usage: Usage | null | undefined }) {
  if (!usage) return <span className="muted">—</span>;
  return (
    <span>
      {usage.prompt_tokens} prompt + {usage.completion_tokens} completion = <strong>{usage.total_tokens}</strong> tokens
    </span>
  );
}

/** The `<dt>`/`<dd>` pairs of when a run or step ended (with its duration since `start`) and its token usage. */
function EndAndUsage({ label, start, end, usage }: { label: string; start: number | null | undefined; end: number | null | undefined; usage: Usage | null | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {formatTime(end)}
        {duration(start, end)}
      </dd>
      <dt>Usage</dt>
      <dd>
        <UsageLine usage={usage} />
      </dd>
    </>
  );
}

function LastError({ error }: { error: ApiErrorBody | null | undefined }) {
  if (!error) return null;
  return (
    <p className="banner banner-error">
      {error.code}: {error.message}
    </p>
  );
}

function CodeOutput({ output }: { output: CodeInterpreterOutput }) {
  if (output.type === 'logs') return <pre className="code-block logs">{output.logs}</pre>;
  return <FileImage fileId={output.image.file_id} alt="Code interpreter output" />;
}

function ToolCallView({ call }: { call: StepToolCall }) {
  switch (call.type) {
    case 'code_interpreter':
      return (
        <div className="tool-call">
          <div className="tool-call-head">
            <strong>code_interpreter</strong> <code className="muted">{call.id}</code>
          </div>
          <pre className="code-block" aria-label="Code">
            {call.code_interpreter.input}
          </pre>
          {call.code_interpreter.outputs.map((output, index) => (
            <CodeOutput key={index} output={output} />
          ))}
        </div>
      );
    case 'file_search': {
      const results = call.file_search.results ?? [];
      return (
        <div className="tool-call">
          <div className="tool-call-head">
            <strong>file_search</strong> <code className="muted">{call.id}</code>
          </div>
          {results.length === 0 && <p className="muted">No results recorded.</p>}
          <ol className="search-results">
            {results.map((result, index) => (
              <li key={`${result.file_id}-${index}`}>
                <span className="result-file">{result.file_name ?? <FileName fileId={result.file_id} />}</span>
                {typeof result.score === 'number' && <span className="muted"> · score {result.score.toFixed(3)}</span>}
                {result.content?.map((part, i) => (
                  <blockquote key={i}>{part.text}</blockquote>
                ))}
              </li>
            ))}
          </ol>
        </div>
      );
    }
    case 'function':
      return (
        <div className="tool-call">
          <div className="tool-call-head">
            <strong>function {call.function.name}</strong> <code className="muted">{call.id}</code>
          </div>
          <div className="sublabel">Arguments</div>
          <pre className="code-block">{prettyArguments(call.function.arguments)}</pre>
          <div className="sublabel">Output</div>
          {call.function.output === null || call.function.output === undefined ? (
            <p className="muted">(not submitted yet)</p>
          ) : (
            <pre className="code-block">{call.function.output}</pre>
          )}
        </div>
      );
    default:
      return null;
  }
}

function StepView({ step, index }: { step: RunStep; index: number }) {
  const details = step.step_details;
  const ended = step.completed_at ?? step.failed_at ?? step.cancelled_at ?? step.expired_at;
  return (
    <li className="card step">
      <div className="step-head">
        <span className="step-index">{index + 1}</span>
        <strong>{step.type === 'message_creation' ? 'Message' : 'Tool calls'}</strong>
        <span className={`status status-${step.status}`}>{step.status}</span>
        <code className="muted">{step.id}</code>
      </div>
      <dl className="facts">
        <dt>Created</dt>
        <dd>{formatTime(step.created_at)}</dd>
        <EndAndUsage label="Ended" start={step.created_at} end={ended} usage={step.usage} />
      </dl>
      <LastError error={step.last_error} />
      {details.type === 'message_creation' ? (
        <p>
          Created message <code>{details.message_creation.message_id}</code>
        </p>
      ) : (
        details.tool_calls.map((call) => <ToolCallView key={call.id} call={call} />)
      )}
    </li>
  );
}

export function RunInspector({ threadId, runId }: { threadId: string; runId: string }) {
  const run = useAsync(() => api.get<Run>(`/threads/${encodeURIComponent(threadId)}/runs/${encodeURIComponent(runId)}`), [threadId, runId]);
  const steps = useAsync(() => loadSteps(threadId, runId), [threadId, runId]);
  const data = run.data;
  const ended = data ? (data.completed_at ?? data.failed_at ?? data.cancelled_at) : undefined;

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Run</h1>
        <span className="row">
          <a href={href('threads', threadId)}>← Thread</a>
          <a href={href('chat', threadId)}>Open in chat</a>
          <button
            type="button"
            onClick={() => {
              run.reload();
              steps.reload();
            }}
          >
            Refresh
          </button>
        </span>
      </div>
      <ErrorBanner error={run.error} onRetry={run.reload} />
      {data && (
        <div className="card">
          <dl className="facts">
            <dt>Run</dt>
            <dd>
              <code>{data.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>
              <span className={`status status-${data.status}`}>{data.status}</span>
            </dd>
            <dt>Assistant</dt>
            <dd>
              {/* A response executes as a run of no assistant. */}
              {data.assistant_id ? (
                <a href={href('assistants', data.assistant_id)}>
                  <code>{data.assistant_id}</code>
                </a>
              ) : (
                <span className="muted">none (a response)</span>
              )}
            </dd>
            <dt>Model</dt>
            <dd>{data.model ?? '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(data.created_at)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(data.started_at)}</dd>
            <EndAndUsage
              label={data.failed_at ? 'Failed' : data.cancelled_at ? 'Cancelled' : 'Completed'}
              start={data.started_at ?? data.created_at}
              end={ended}
              usage={data.usage}
            />
          </dl>
          <LastError error={data.last_error} />
        </div>
      )}
      <h2>Steps</h2>
      <AsyncList state={steps} items={steps.data} empty="This run has no steps.">
        {(items) => (
          <ol className="steps">
            {items.map((step, index) => (
              <StepView key={step.id} step={step} index={index} />
            ))}
          </ol>
        )}
      </AsyncList>
    </section>
  );
}
