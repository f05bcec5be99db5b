/** One page of extracted text; `pageNumber` is 1-based, or `null` for formats without pages. */
export interface ExtractedPage {
  pageNumber: number | null;
  text: string;
}

/** The text of a file, split at page boundaries so chunks can cite the page they came from. */
export interface ExtractedDocument {
  pages: ExtractedPage[];
}
