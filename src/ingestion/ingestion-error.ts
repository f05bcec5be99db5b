import type { VectorStoreFile } from "../domain/vector-stores.js";
import { InvalidFileError, UnsupportedFileError } from "../vector/errors.js";

/** Maps an ingestion failure to the `last_error` the vector store file shows. */
export function toLastError(error: unknown): NonNullable<VectorStoreFile["last_error"]> {
  if (error instanceof UnsupportedFileError) return { code: "unsupported_file", message: error.message };
  if (error instanceof InvalidFileError) return { code: "invalid_file", message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: "server_error", message: `The file could not be indexed: ${detail}` };
}
