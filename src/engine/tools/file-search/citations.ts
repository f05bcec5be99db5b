import type { FileCitationAnnotation } from "../../../domain/objects.js";

/** A search result the model was shown, addressed by its marker's `turn:n`. */
export interface CitationSource {
  fileId: string;
  filename: string;
  pageNumber: number | null;
  text: string;
}

/**
 * The marker the model copies to cite a result, in the hosted `【turn:n†source】` style with the page
 * appended: `【0:2†report.pdf†p.3】`. `†` and `】` are removed from names so a marker always parses back.
 */
export function citationMarker(turn: number, n: number, source: Pick<CitationSource, "filename" | "pageNumber">): string {
  const name = source.filename.replace(/[†】\n]/g, " ");
  return `【${turn}:${n}†${name}${source.pageNumber === null ? "" : `†p.${source.pageNumber}`}】`;
}

const quoteLength = 300;

/** v1's `quote`: the start of the cited chunk, cut between code points. */
function quoteOf(text: string): string {
  const codePoints = Array.from(text.trim());
  return codePoints.length <= quoteLength ? codePoints.join("") : `${codePoints.slice(0, quoteLength).join("")}…`;
}

// Models sometimes shorten the marker to `【0:2】` or change the name part; `turn:n` alone decides the source.
const markerPattern = /【(\d+):(\d+)(?:†[^】\n]*)?】/g;

/**
 * Turns the markers the model wrote into `file_citation` annotations. The text is left as written, so
 * each annotation's `start_index`/`end_index` (UTF-16 offsets, as JavaScript's `slice` counts) cover exactly
 * its marker. Markers that match no result the model saw are left unannotated.
 */
export function annotateCitations(value: string, sources: ReadonlyMap<string, CitationSource>): FileCitationAnnotation[] {
  const annotations: FileCitationAnnotation[] = [];
  for (const match of value.matchAll(markerPattern)) {
    const source = sources.get(`${match[1]}:${match[2]}`);
    if (!source) continue;
    annotations.push({
      type: "file_citation",
      text: match[0],
      // `quote` is the v1 field; v2 clients ignore it.
      file_citation: { file_id: source.fileId, quote: quoteOf(source.text) },
      start_index: match.index,
      end_index: match.index + match[0].length,
    });
  }
  return annotations;
}
