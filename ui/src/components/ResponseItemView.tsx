import type { CodeInterpreterCallItem, FileSearchCallItem, FunctionCallItem, ResponseItem } from '../api/response-types.js';
import { itemMessage } from '../lib/response-items.js';
import { reasoningText } from '../lib/response-stream.js';
import { FileImage } from './FileImage.js';
import { FileName } from './FileName.js';
import { MessageView } from './MessageView.js';
import { prettyArguments } from './ToolOutputsForm.js';

interface Props {
  item: ResponseItem;
  conversationId: string;
  /** Function outputs by call id: a call is drawn with its output. */
  outputs: ReadonlyMap<string, string>;
  streaming?: boolean;
  onError: (error: unknown) => void;
}

function FunctionCallView({ call, output }: { call: FunctionCallItem; output: string | undefined }) {
  return (
    <div className="card tool-call tool-item" data-item-id={call.id}>
      <div className="tool-call-head">
        <strong>function {call.name}</strong> <code className="muted">{call.call_id}</code>
      </div>
      <div className="sublabel">Arguments</div>
      <pre className="code-block">{prettyArguments(call.arguments)}</pre>
      <div className="sublabel">Output</div>
      {output === undefined ? <p className="muted">(no output yet)</p> : <pre className="code-block">{output}</pre>}
    </div>
  );
}

function FileSearchView({ call }: { call: FileSearchCallItem }) {
  const results = call.results ?? [];
  return (
    <div className="card tool-call tool-item" data-item-id={call.id}>
      <div className="tool-call-head">
        <strong>file_search</strong> <span className={`status status-${call.status}`}>{call.status}</span>
      </div>
      {call.queries.length > 0 && <p className="tool-queries">{call.queries.map((query) => `“${query}”`).join(', ')}</p>}
      {results.length > 0 && (
        <ol className="search-results">
          {results.map((result, index) => (
            <li key={`${result.file_id}-${index}`}>
              <span className="result-file">{result.filename || <FileName fileId={result.file_id} />}</span>
              {typeof result.score === 'number' && <span className="muted"> · score {result.score.toFixed(3)}</span>}
              {result.text && <blockquote>{result.text}</blockquote>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** An image output's container file, from its content path (`/v1/containers/{id}/files/{file_id}/content`): images too large to inline. */
function containerImage(url: string): { containerId: string; fileId: string } | undefined {
  const match = /\/containers\/([^/]+)\/files\/([^/]+)\/content$/.exec(url);
  return match?.[1] && match[2] ? { containerId: decodeURIComponent(match[1]), fileId: decodeURIComponent(match[2]) } : undefined;
}

function CodeInterpreterView({ call }: { call: CodeInterpreterCallItem }) {
  return (
    <div className="card tool-call tool-item" data-item-id={call.id}>
      <div className="tool-call-head">
        <strong>code_interpreter</strong> <span className={`status status-${call.status}`}>{call.status}</span> <code className="muted">{call.container_id}</code>
      </div>
      {call.code !== null && (
        <pre className="code-block" aria-label="Code">
          {call.code}
        </pre>
      )}
      {call.outputs?.map((output, index) => {
        if (output.type === 'logs') return <pre key={index} className="code-block logs">{output.logs}</pre>;
        if (output.url.startsWith('data:')) {
          return (
            <a key={index} href={output.url} target="_blank" rel="noopener noreferrer" className="file-image">
              <img src={output.url} alt="Code interpreter output" />
            </a>
          );
        }
        const image = containerImage(output.url);
        return image ? <FileImage key={index} fileId={image.fileId} containerId={image.containerId} alt="Code interpreter output" /> : null;
      })}
    </div>
  );
}

/** One conversation item: a chat bubble, a tool call with its output, or a note for system and developer text. */
export function ResponseItemView({ item, conversationId, outputs, streaming, onError }: Props) {
  switch (item.type) {
    case 'message': {
      const message = itemMessage(item, conversationId);
      if (message) return <MessageView message={message} streaming={streaming} onError={onError} />;
      const text = item.content.flatMap((part) => (part.type === 'input_text' || part.type === 'output_text' ? [part.text] : [])).join('\n');
      return (
        <p className="item-note" data-item-id={item.id}>
          <strong>{item.role}:</strong> {text}
        </p>
      );
    }
    case 'function_call':
      return <FunctionCallView call={item} output={outputs.get(item.call_id)} />;
    case 'function_call_output':
      // Only an output whose call is not in the conversation comes here (see `drawnItems`).
      return (
        <p className="item-note" data-item-id={item.id}>
          Output of <code>{item.call_id}</code>: {typeof item.output === 'string' ? item.output : '[content]'}
        </p>
      );
    case 'file_search_call':
      return <FileSearchView call={item} />;
    case 'code_interpreter_call':
      return <CodeInterpreterView call={item} />;
    case 'reasoning':
      return (
        <details className="card reasoning tool-item" data-item-id={item.id} open={streaming}>
          <summary className="muted">Reasoning</summary>
          <p className="reasoning-text">{reasoningText(item)}</p>
        </details>
      );
    default:
      return null;
  }
}
