import mammoth from "mammoth";
import { InvalidFileError } from "../errors.js";
import type { ExtractedDocument } from "./extracted-document.js";

export async function extractDocx(bytes: Uint8Array, filename: string): Promise<ExtractedDocument> {
  let text: string;
  try {
    ({ value: text } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    throw new InvalidFileError(`${filename} could not be parsed as a DOCX document`, { cause: error });
  }
  // DOCX has no fixed pagination (layout decides it), so the whole document is one unnumbered page.
  return { pages: [{ pageNumber: null, text: text.normalize("NFC").replace(/\n{3,}/g, "\n\n").trim() }] };
}
