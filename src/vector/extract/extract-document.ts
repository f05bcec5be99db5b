import { readFile } from "node:fs/promises";
import { InvalidFileError, UnsupportedFileError } from "../errors.js";
import { decodeTextFile } from "./decode-text.js";
import type { ExtractedDocument } from "./extracted-document.js";
import { fileKindOf } from "./file-kind.js";
import { htmlToText } from "./html-to-text.js";

/**
 * Extracts the searchable text of an uploaded file. The type is decided by `filename` (the stored
 * `path` usually has no extension).
 *
 * @throws UnsupportedFileError when the extension is not one file_search indexes.
 * @throws InvalidFileError when the content cannot be parsed as the type it claims.
 */
export async function extractDocument(input: { path: string; filename: string }): Promise<ExtractedDocument> {
  const { filename } = input;
  const kind = fileKindOf(filename);
  if (kind === undefined) throw new UnsupportedFileError(`${filename}: file type is not supported for file_search`);

  const bytes = new Uint8Array(await readFile(input.path));
  switch (kind) {
    // The PDF and DOCX parsers load on first use: most servers never see one, and mammoth alone is ~15 MB.
    case "pdf":
      return (await import("./extract-pdf.js")).extractPdf(bytes, filename);
    case "docx":
      return (await import("./extract-docx.js")).extractDocx(bytes, filename);
    case "html":
      return singlePage(htmlToText(decodeTextFile(bytes, filename)));
    case "json":
      return singlePage(validatedJson(decodeTextFile(bytes, filename), filename));
    case "text":
      return singlePage(decodeTextFile(bytes, filename));
  }
}

function singlePage(text: string): ExtractedDocument {
  return { pages: [{ pageNumber: null, text }] };
}

function validatedJson(text: string, filename: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new InvalidFileError(`${filename} is not valid JSON`, { cause: error });
  }
  return text;
}
