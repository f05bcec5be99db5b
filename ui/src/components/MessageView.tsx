import { useMemo, type MouseEvent } from 'react';
import { downloadFile } from '../api/client.js';
import type { Annotation, Message, MessageContent } from '../api/types.js';
import { renderMessageText } from '../lib/markdown.js';
import { FileImage } from './FileImage.js';
import { DownloadLink, FileName } from './FileName.js';

interface Props {
  message: Message;
  streaming?: boolean;
  onError: (error: unknown) => void;
}

function TextPart({ value, annotations, onError }: { value: string; annotations: Annotation[]; onError: (error: unknown) => void }) {
  const rendered = useMemo(() => renderMessageText(value, annotations), [value, annotations]);

  // Downloads need the Authorization header, so file links are handled here instead of by the browser.
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const link = (event.target as HTMLElement).closest<HTMLElement>('a[data-file-id]');
    if (!link) return;
    event.preventDefault();
    const { fileId = '', containerId, fileName } = link.dataset;
    downloadFile(fileId, containerId ? { containerId, filename: fileName ?? fileId } : undefined).catch(onError);
  };

  return (
    <>
      <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: rendered.html }} />
      {rendered.citations.length > 0 && (
        <ol className="footnotes" aria-label="Sources">
          {rendered.citations.map((citation) => (
            <li key={citation.n} value={citation.n}>
              <span className="footnote-file">
                <FileName fileId={citation.fileId} />
              </span>
              {citation.page && <span className="footnote-page">, p. {citation.page}</span>}
              {citation.quote && <q className="footnote-quote">{citation.quote}</q>}
            </li>
          ))}
        </ol>
      )}
      {rendered.files.length > 0 && (
        <div className="message-files">
          {rendered.files.map((file, index) => (
            <DownloadLink
              key={`${file.fileId}-${index}`}
              fileId={file.fileId}
              container={file.containerId ? { containerId: file.containerId, filename: file.label } : undefined}
              onError={onError}
            />
          ))}
        </div>
      )}
    </>
  );
}

function ContentPart({ part, onError }: { part: MessageContent; onError: (error: unknown) => void }) {
  switch (part.type) {
    case 'text':
      return <TextPart value={part.text.value} annotations={part.text.annotations ?? []} onError={onError} />;
    case 'image_file':
      return <FileImage fileId={part.image_file.file_id} />;
    case 'image_url':
      return /^https?:/i.test(part.image_url.url) ? <img className="file-image" src={part.image_url.url} alt="" /> : null;
    case 'refusal':
      return <p className="refusal">Refused: {part.refusal}</p>;
    default:
      return null;
  }
}

/** One chat bubble: Markdown text with citations, inline images, download links. */
export function MessageView({ message, streaming, onError }: Props) {
  const empty = message.content.every((part) => part.type === 'text' && part.text.value === '');
  return (
    <article className={`message message-${message.role}`} aria-label={message.role === 'user' ? 'You said' : 'Assistant said'} data-message-id={message.id}>
      <header className="message-role">{message.role === 'user' ? 'You' : 'Assistant'}</header>
      <div className="message-body">
        {message.content.map((part, index) => (
          <ContentPart key={index} part={part} onError={onError} />
        ))}
        {empty && streaming && <span className="typing" aria-label="Assistant is typing">…</span>}
        {message.status === 'incomplete' && <p className="muted">(incomplete)</p>}
      </div>
    </article>
  );
}

