import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Kysely, PostgresDialect, sql } from "kysely";
import { createPgPool } from "../sql/pg-pool.js";
import type { BlobStore, OpenedBlob } from "./blob-store.js";

/** Rows of `file_chunks` (migration 0004): a blob is its chunks in `chunk_index` order. */
interface BlobTables {
  file_chunks: { file_id: string; chunk_index: number; bytes: Buffer };
}

/** Bytes per row: large enough that a 512 MB file is ~512 rows, small enough that a reader holds little. */
export const postgresChunkBytes = 1024 * 1024;

/** Cuts a byte stream into `size`-byte pieces (the last may be shorter), holding at most one piece plus one read. */
async function* fixedSizePieces(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const read of source) {
    const bytes = Buffer.isBuffer(read) ? read : Buffer.from(read as string);
    pending.push(bytes);
    pendingBytes += bytes.byteLength;
    if (pendingBytes < size) continue;
    let joined = Buffer.concat(pending, pendingBytes);
    while (joined.byteLength >= size) {
      yield joined.subarray(0, size);
      joined = joined.subarray(size);
    }
    pending = [joined];
    pendingBytes = joined.byteLength;
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

/**
 * Blobs as ~1 MiB rows of `file_chunks` in the Spool database, so every process on that database sees
 * every file. A write is one transaction (a failed upload leaves nothing); reads fetch one chunk at a time.
 */
class PostgresBlobStore implements BlobStore {
  constructor(
    private readonly db: Kysely<BlobTables>,
    /** Where `withLocalFile` puts its temporary copies. */
    private readonly scratchDir: string,
  ) {}

  write(id: string, source: Readable): Promise<number> {
    return this.db.transaction().execute(async (transaction) => {
      await transaction.deleteFrom("file_chunks").where("file_id", "=", id).execute();
      let chunkIndex = 0;
      let total = 0;
      for await (const bytes of fixedSizePieces(source, postgresChunkBytes)) {
        await transaction.insertInto("file_chunks").values({ file_id: id, chunk_index: chunkIndex, bytes }).execute();
        chunkIndex += 1;
        total += bytes.byteLength;
      }
      // An empty blob still needs a row, or it could not be told from a missing one.
      if (chunkIndex === 0) await transaction.insertInto("file_chunks").values({ file_id: id, chunk_index: 0, bytes: Buffer.alloc(0) }).execute();
      return total;
    });
  }

  async writeBytes(id: string, bytes: Uint8Array): Promise<void> {
    await this.write(id, Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
  }

  async open(id: string): Promise<OpenedBlob | undefined> {
    const summary = await this.db
      .selectFrom("file_chunks")
      .select([sql<string>`count(*)`.as("chunks"), sql<string>`coalesce(sum(octet_length(bytes)), 0)`.as("size")])
      .where("file_id", "=", id)
      .executeTakeFirstOrThrow();
    const chunks = Number(summary.chunks);
    if (chunks === 0) return undefined;
    return { stream: Readable.from(this.chunksOf(id, chunks), { objectMode: false }), size: Number(summary.size) };
  }

  async readBytes(id: string): Promise<Buffer | undefined> {
    const rows = await this.db.selectFrom("file_chunks").select("bytes").where("file_id", "=", id).orderBy("chunk_index").execute();
    return rows.length === 0 ? undefined : Buffer.concat(rows.map((row) => row.bytes));
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("file_chunks").where("file_id", "=", id).execute();
  }

  async withLocalFile<T>(id: string, use: (path: string) => Promise<T>): Promise<T | undefined> {
    const blob = await this.open(id);
    if (!blob) return undefined;
    const directory = await fsp.mkdtemp(path.join(this.scratchDir, "blob-"));
    try {
      const local = path.join(directory, "bytes");
      await pipeline(blob.stream, fs.createWriteStream(local, { mode: 0o600 }));
      return await use(local);
    } finally {
      await fsp.rm(directory, { recursive: true, force: true });
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  private async *chunksOf(id: string, chunks: number): AsyncGenerator<Buffer> {
    for (let chunkIndex = 0; chunkIndex < chunks; chunkIndex += 1) {
      const row = await this.db
        .selectFrom("file_chunks")
        .select("bytes")
        .where("file_id", "=", id)
        .where("chunk_index", "=", chunkIndex)
        .executeTakeFirst();
      if (!row) throw new Error(`blob ${id} was deleted or replaced while it was read`);
      if (row.bytes.byteLength > 0) yield row.bytes;
    }
  }
}

/**
 * Opens blob storage in the Postgres database at `connectionString`, whose `file_chunks` table the
 * Postgres store's migrations create (open the store first). `scratchDir` is emptied: what is there was
 * left by a previous process.
 */
export async function openPostgresBlobStore(connectionString: string, options: { scratchDir: string }): Promise<BlobStore> {
  await fsp.rm(options.scratchDir, { recursive: true, force: true });
  await fsp.mkdir(options.scratchDir, { recursive: true, mode: 0o700 });
  // Its own pool: an upload holds a connection for as long as the client sends, and uploads must not
  // take every connection the API's queries need.
  const pool = createPgPool(connectionString, 8);
  return new PostgresBlobStore(new Kysely<BlobTables>({ dialect: new PostgresDialect({ pool }) }), options.scratchDir);
}
