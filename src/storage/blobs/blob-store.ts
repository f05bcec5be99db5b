import type { Readable } from "node:stream";

/** A stored blob opened for reading: its bytes as a stream (never whole in memory) and its size. */
export interface OpenedBlob {
  stream: Readable;
  size: number;
}

/**
 * File bytes by id (a File id, or another key of letters, digits, `-` and `_`). A write replaces the
 * blob as a whole or, when it fails, leaves the previous content (or nothing) behind, never a part.
 */
export interface BlobStore {
  /** Streams `source` into the blob (never whole in memory); returns the byte count. */
  write(id: string, source: Readable): Promise<number>;
  writeBytes(id: string, bytes: Uint8Array): Promise<void>;
  /** undefined when there is no such blob. */
  open(id: string): Promise<OpenedBlob | undefined>;
  /** The whole blob in memory, for small ones (images, sandbox inputs); undefined when there is none. */
  readBytes(id: string): Promise<Buffer | undefined>;
  /** Removes the blob; nothing happens when there is none. */
  delete(id: string): Promise<void>;
  /**
   * Calls `use` with a local path holding the blob's bytes, for code that reads files by path (document
   * extraction), and returns its result; undefined, without calling `use`, when there is no such blob.
   * The path is valid only until `use` settles.
   */
  withLocalFile<T>(id: string, use: (path: string) => Promise<T>): Promise<T | undefined>;
  close(): Promise<void>;
}
