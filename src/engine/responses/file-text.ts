import type { BlobStore } from "../../storage/blobs/blob-store.js";
import type { Store } from "../../storage/store.js";
import { extractDocument } from "../../vector/extract/extract-document.js";

/** The text of an input file as the model reads it. */
export type FileTextLoader = (fileId: string) => Promise<string>;

/**
 * Input files go to the model as text, extracted as file_search extracts it: a PDF page by page (each
 * page numbered, so the model can say where something stands), other documents whole, under the file's
 * name. A file that is gone or cannot be read is named with the reason instead. Each file is read once
 * per loader.
 */
export function fileTextLoader(store: Store, blobs: Pick<BlobStore, "withLocalFile">): FileTextLoader {
  const known = new Map<string, Promise<string>>();
  const load = async (fileId: string): Promise<string> => {
    const file = await store.files.get(fileId);
    if (!file) return `[File ${fileId}: deleted]`;
    try {
      const document = await blobs.withLocalFile(fileId, (path) => extractDocument({ path, filename: file.filename }));
      if (!document) return `[File ${file.filename}: its content is missing]`;
      const pages = document.pages.map((page) => (page.pageNumber === null ? page.text : `[Page ${page.pageNumber}]\n${page.text}`));
      return `[File ${file.filename}]\n${pages.join("\n\n")}`;
    } catch (error) {
      return `[File ${file.filename}: it cannot be read as text (${error instanceof Error ? error.message : String(error)})]`;
    }
  };
  return (fileId) => {
    let text = known.get(fileId);
    if (!text) known.set(fileId, (text = load(fileId)));
    return text;
  };
}
