/**
 * Renders assistant Markdown safely (raw HTML is escaped, only http(s)/mailto/relative links) and
 * turns message annotations into placeholders: `file_citation` → numbered footnote markers,
 * `file_path` → download links (`data-file-id`, handled by the caller's click handler, because
 * downloads need the Authorization header).
 */
import { Marked, type Tokens } from 'marked';
import type { Annotation } from '../api/types.js';

export interface Citation {
  n: number;
  fileId: string;
  quote?: string;
  page?: string;
}

export interface FileLink {
  fileId: string;
  label: string;
  containerId?: string;
}

export interface RenderedText {
  html: string;
  citations: Citation[];
  files: FileLink[];
}

const CITE_OPEN = '\uE000';
const CITE_CLOSE = '\uE001';
const FILE_OPEN = '\uE002';
const FILE_CLOSE = '\uE003';
const FILE_PLACEHOLDER = new RegExp(`^${FILE_OPEN}(\\d+)${FILE_CLOSE}$`);
/**
 * `**bold**` directly followed by Hangul, Han or Kana (`**1.4%**로`, `**"Spool"**은`). CommonMark
 * leaves these as literal asterisks when the bold text ends in punctuation, because the closing `**`
 * is then not "right-flanking"; Korean particles follow bold words all the time, so models write it.
 */
const CJK_FOLLOWED_STRONG = /^\*\*(?![\s*])([^*\n]*?[^\s*])\*\*(?=[\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])/u;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function isSafeUrl(href: string): boolean {
  return /^(https?:|mailto:|\/(?!\/)|\.\.?\/)/i.test(href.trim());
}

/**
 * The page a citation points at: a `page` field if the server sends one, else the page part of
 * Spool's marker (`【0:1†report.pdf†p.2】`), else "page 3"/"p. 3"/"3쪽" in the quote. The file name
 * inside the marker is never read as a page ("p.5-notes.pdf").
 */
export function citationPage(annotation: Annotation): string | undefined {
  if (annotation.type !== 'file_citation') return undefined;
  const explicit = annotation.file_citation.page;
  if (explicit !== undefined && explicit !== null && String(explicit) !== '') return String(explicit);
  const marker = /†p\.\s*(\d+)】$/.exec(annotation.text);
  if (marker) return marker[1];
  const quoted = /(?:\bpages?|\bpp?\.)\s*(\d+)|(\d+)\s*(?:쪽|페이지)/i.exec(annotation.file_citation.quote ?? '');
  return quoted ? (quoted[1] ?? quoted[2]) : undefined;
}

function basename(path: string): string {
  const trimmed = path.replace(/^sandbox:/, '');
  return trimmed.split('/').filter(Boolean).pop() ?? trimmed;
}

interface RenderContext {
  files: FileLink[];
}

function fileAnchor(link: FileLink | undefined, inner: string): string {
  if (!link) return inner;
  const container = link.containerId ? ` data-container-id="${escapeHtml(link.containerId)}" data-file-name="${escapeHtml(link.label)}"` : '';
  return `<a href="#" class="file-link" data-file-id="${escapeHtml(link.fileId)}"${container}>${inner}</a>`;
}

function createMarked(context: RenderContext): Marked {
  const marked = new Marked({ gfm: true, breaks: true, async: false });
  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(token.text);
      },
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        const placeholder = FILE_PLACEHOLDER.exec(token.href);
        if (placeholder) return fileAnchor(context.files[Number(placeholder[1])], inner);
        if (!isSafeUrl(token.href)) return inner;
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
        return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener noreferrer">${inner}</a>`;
      },
      image(token: Tokens.Image) {
        const placeholder = FILE_PLACEHOLDER.exec(token.href);
        if (placeholder) return fileAnchor(context.files[Number(placeholder[1])], escapeHtml(token.text || 'download'));
        if (!/^https?:/i.test(token.href)) return escapeHtml(token.text);
        return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
      },
    },
    extensions: [
      {
        name: 'cjkFollowedStrong',
        level: 'inline',
        start(source: string) {
          const index = source.indexOf('**');
          return index === -1 ? undefined : index;
        },
        tokenizer(source: string) {
          const match = CJK_FOLLOWED_STRONG.exec(source);
          if (!match) return undefined;
          return { type: 'cjkFollowedStrong', raw: match[0], tokens: this.lexer.inlineTokens(match[1] ?? '') };
        },
        renderer(token) {
          return `<strong>${this.parser.parseInline(token.tokens ?? [])}</strong>`;
        },
      },
      {
        name: 'spoolAnnotation',
        level: 'inline',
        start(source: string) {
          const index = source.search(/[\uE000\uE002]/);
          return index === -1 ? undefined : index;
        },
        tokenizer(source: string) {
          const match = /^(?:\uE000(\d+)\uE001|\uE002(\d+)\uE003)/.exec(source);
          if (!match) return undefined;
          return { type: 'spoolAnnotation', raw: match[0], cite: match[1], file: match[2] };
        },
        renderer(token) {
          if (token.cite !== undefined) return `<sup class="cite">[${escapeHtml(String(token.cite))}]</sup>`;
          const link = context.files[Number(token.file)];
          return fileAnchor(link, escapeHtml(link?.label ?? 'file'));
        },
      },
    ],
  });
  return marked;
}

/** Renders one text content part with its annotations. */
export function renderMessageText(value: string, annotations: readonly Annotation[] = []): RenderedText {
  const citations: Citation[] = [];
  const files: FileLink[] = [];
  const sorted = annotations
    .filter((a) => a && typeof a.start_index === 'number' && typeof a.end_index === 'number')
    .slice()
    .sort((a, b) => a.start_index - b.start_index);
  const replacements: { start: number; end: number; annotation: Annotation }[] = [];
  for (const annotation of sorted) {
    let { start_index: start, end_index: end } = annotation;
    if (value.slice(start, end) !== annotation.text && annotation.text) {
      const found = value.indexOf(annotation.text);
      if (found === -1) continue;
      start = found;
      end = found + annotation.text.length;
    }
    if (start < 0 || end > value.length || start > end) continue;
    if (replacements.some((r) => start < r.end && end > r.start)) continue; // overlapping: skip
    replacements.push({ start, end, annotation });
  }
  // Number citations in reading order.
  const inOrder = replacements.slice().sort((a, b) => a.start - b.start);
  const markers = new Map<Annotation, string>();
  for (const { annotation } of inOrder) {
    if (annotation.type === 'file_citation') {
      const { file_id: fileId, quote } = annotation.file_citation;
      const page = citationPage(annotation);
      let citation = citations.find((c) => c.fileId === fileId && c.quote === quote && c.page === page);
      if (!citation) {
        citation = { n: citations.length + 1, fileId, ...(quote ? { quote } : {}), ...(page ? { page } : {}) };
        citations.push(citation);
      }
      markers.set(annotation, `${CITE_OPEN}${citation.n}${CITE_CLOSE}`);
    } else if (annotation.type === 'file_path') {
      const containerId = annotation.file_path.container_id;
      files.push({ fileId: annotation.file_path.file_id, label: basename(annotation.text), ...(containerId ? { containerId } : {}) });
      markers.set(annotation, `${FILE_OPEN}${files.length - 1}${FILE_CLOSE}`);
    }
  }
  // Rebuild the text; PUA characters in the original are dropped so the text can never forge a marker.
  const clean = (part: string) => part.replace(/[\uE000-\uE003]/g, '');
  let text = '';
  let position = 0;
  for (const { start, end, annotation } of inOrder) {
    text += clean(value.slice(position, start)) + (markers.get(annotation) ?? '');
    position = end;
  }
  text += clean(value.slice(position));
  const html = createMarked({ files }).parse(text) as string;
  return { html, citations, files };
}
