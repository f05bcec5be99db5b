import { extractText, getDocumentProxy } from "unpdf";
import { InvalidFileError } from "../errors.js";
import type { ExtractedDocument } from "./extracted-document.js";

// pdf.js logs recoverable parse problems to the console; errors still reject, so silence the noise.
const pdfJsErrorsOnly = 0;

export async function extractPdf(bytes: Uint8Array, filename: string): Promise<ExtractedDocument> {
  let pageTexts: string[];
  try {
    // pdf.js may transfer (detach) the buffer it is given, so hand it a private copy.
    const pdf = await getDocumentProxy(bytes.slice(), { verbosity: pdfJsErrorsOnly });
    try {
      ({ text: pageTexts } = await extractText(pdf, { mergePages: false }));
    } finally {
      await pdf.destroy();
    }
  } catch (error) {
    throw new InvalidFileError(`${filename} could not be parsed as a PDF`, { cause: error });
  }
  return {
    pages: pageTexts.map((text, index) => ({ pageNumber: index + 1, text: normalizePdfText(text) })),
  };
}

// NFC matters for Korean: some PDF fonts map glyphs to decomposed jamo, which would never match a query.
function normalizePdfText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n ?/g, "\n")
    .trim();
}
