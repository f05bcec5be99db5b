import { connect, Index, type Connection, type Table } from "@lancedb/lancedb";
import { DataType } from "apache-arrow";
import type { Attributes } from "../attribute-filter.js";
import { candidateDepth, selectHits, type Candidate, type VectorCandidate } from "../hit-selection.js";
import { toQuerySearchText } from "../search-text.js";
import type { IndexedChunk, SearchHit, SearchQuery, VectorIndex } from "../vector-index.js";
import {
  chunksTableName,
  chunkTableSchema,
  hitColumns,
  parseAttributes,
  searchTextColumn,
  serializeAttributes,
  toCandidate,
  toRow,
} from "./chunk-table.js";
import { FileAttributeCatalog } from "./file-attribute-catalog.js";
import { SerialQueue } from "./serial-queue.js";
import { sqlString, sqlStringList } from "./sql.js";

export interface LanceDbVectorIndexOptions {
  /** Directory of the LanceDB database; created if missing. */
  directory: string;
  /** Embedding dimension; fixed for the life of the table. */
  dimensions: number;
  /**
   * Delay between the first write after an optimization and the next background optimization (FTS
   * index brought up to date, fragments compacted, old versions pruned). Rows not yet in the FTS index
   * are still found, by a slower brute-force scan (~0.1 ms per row per query), so this trades write
   * throughput (an optimization costs about a second at 10k chunks) against search latency.
   */
  optimizeDelayMs?: number;
  /** Unindexed rows at which a write optimizes immediately instead of waiting for the delay. */
  maxUnindexedRows?: number;
  /** Receives failures of background optimizations, which have no caller to reject. */
  onBackgroundError?: (error: unknown) => void;
}

/** The LanceDB index, plus explicit maintenance for operators, tests and benchmarks. */
export interface LanceDbVectorIndex extends VectorIndex {
  /** Brings the FTS index up to date and compacts the table now, after pending writes. */
  optimize(): Promise<void>;
}

// Stemming and stop words apply to Latin words only; CJK text arrives pre-split into bigrams.
// (A fresh Index per call: LanceDB consumes the native object when the index is built.)
const fullTextIndex = () =>
  Index.fts({
    baseTokenizer: "simple",
    lowercase: true,
    stem: true,
    removeStopWords: true,
    asciiFolding: true,
    withPosition: false,
  });

// Old versions keep deleted chunks on disk; keep just enough history for searches still reading them.
const versionRetentionMs = 10 * 60_000;

/**
 * A {@link VectorIndex} on an embedded LanceDB database: one `chunks` table with a flat (exact) cosine
 * vector search and a BM25 full-text index, fused in TypeScript. Assumes it is the only writer to
 * `directory`.
 */
export async function createLanceDbVectorIndex(options: LanceDbVectorIndexOptions): Promise<LanceDbVectorIndex> {
  const connection = await connect(options.directory);
  const catalog = new FileAttributeCatalog();
  const table = (await connection.tableNames()).includes(chunksTableName)
    ? await openChunksTable(connection, options.dimensions, catalog)
    : undefined;
  return new LanceDbVectorIndexImpl(connection, table, catalog, options);
}

async function openChunksTable(connection: Connection, dimensions: number, catalog: FileAttributeCatalog) {
  const table = await connection.openTable(chunksTableName);
  const vectorType = (await table.schema()).fields.find((field) => field.name === "vector")?.type;
  const storedDimensions = DataType.isFixedSizeList(vectorType) ? vectorType.listSize : undefined;
  if (storedDimensions !== dimensions) {
    throw new Error(
      `The vector index stores ${String(storedDimensions)}-dimensional embeddings but the embedding model ` +
        `produces ${dimensions}; re-index or configure the matching model.`,
    );
  }
  // A crash between creating the table and indexing it would otherwise break full-text search for good.
  if (!(await table.listIndices()).some((index) => index.columns.includes(searchTextColumn))) {
    await table.createIndex(searchTextColumn, { config: fullTextIndex() });
  }
  // Every ingested file has a chunk 0, so these rows list each file once.
  const fileRows: unknown[] = await table
    .query()
    .where("chunk_index = 0")
    .select(["vector_store_id", "file_id", "attributes"])
    .toArray();
  for (const row of fileRows) {
    const record = row as Record<string, unknown>;
    catalog.set(String(record.vector_store_id), String(record.file_id), parseAttributes(record.attributes));
  }
  return table;
}

class LanceDbVectorIndexImpl implements LanceDbVectorIndex {
  private readonly writes = new SerialQueue();
  private unoptimizedRows = 0;
  private unoptimizedWrites = 0;
  private optimizeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private table: Table | undefined,
    private readonly catalog: FileAttributeCatalog,
    private readonly options: LanceDbVectorIndexOptions,
  ) {}

  async add(chunks: IndexedChunk[]): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.vector.length !== this.options.dimensions) {
        throw new Error(`Chunk ${chunk.chunkIndex} of ${chunk.fileId} has ${chunk.vector.length} dimensions, expected ${this.options.dimensions}`);
      }
    }
    if (chunks.length === 0) return;
    return this.writes.run(async () => {
      // Catalogued before the rows land, so a concurrent filtered search can only over-include a file
      // whose rows are not there yet (harmless), never miss one that is.
      for (const chunk of chunks) this.catalog.set(chunk.vectorStoreId, chunk.fileId, chunk.attributes);
      const rows = chunks.map(toRow);
      if (this.table === undefined) {
        const table = await this.connection.createTable(chunksTableName, rows, {
          schema: chunkTableSchema(this.options.dimensions),
        });
        await table.createIndex(searchTextColumn, { config: fullTextIndex() });
        this.table = table;
      } else {
        await this.table.add(rows);
        await this.afterWrite(rows.length);
      }
    });
  }

  deleteFile(vectorStoreId: string, fileId: string): Promise<void> {
    return this.writes.run(async () => {
      await this.table?.delete(`vector_store_id = ${sqlString(vectorStoreId)} AND file_id = ${sqlString(fileId)}`);
      this.catalog.deleteFile(vectorStoreId, fileId);
      await this.afterWrite(0);
    });
  }

  deleteStore(vectorStoreId: string): Promise<void> {
    return this.writes.run(async () => {
      await this.table?.delete(`vector_store_id = ${sqlString(vectorStoreId)}`);
      this.catalog.deleteStore(vectorStoreId);
      await this.afterWrite(0);
    });
  }

  updateAttributes(vectorStoreId: string, fileId: string, attributes: Attributes | null): Promise<void> {
    return this.writes.run(async () => {
      if (this.table === undefined || !this.catalog.has(vectorStoreId, fileId)) return;
      const json = serializeAttributes(attributes);
      await this.table.update({
        where: `vector_store_id = ${sqlString(vectorStoreId)} AND file_id = ${sqlString(fileId)}`,
        valuesSql: { attributes: json === null ? "NULL" : sqlString(json) },
      });
      this.catalog.set(vectorStoreId, fileId, attributes);
      await this.afterWrite(0);
    });
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const table = this.table;
    if (table === undefined || query.vectorStoreIds.length === 0 || query.limit <= 0) return [];
    if (query.vector.length !== this.options.dimensions) {
      throw new Error(`Query vector has ${query.vector.length} dimensions, expected ${this.options.dimensions}`);
    }
    const scope =
      query.filter === undefined
        ? `vector_store_id IN (${sqlStringList(new Set(query.vectorStoreIds))})`
        : this.catalog.predicate(query.vectorStoreIds, query.filter);
    if (scope === undefined) return [];

    const mode = query.mode ?? "hybrid";
    const depth = candidateDepth(mode, query.limit);
    const [vectorRanking, textRanking] = await Promise.all([
      mode === "text" ? [] : this.vectorSearch(table, query.vector, scope, depth),
      mode === "vector" ? [] : this.fullTextSearch(table, query.text, scope, depth),
    ]);
    return selectHits(query, vectorRanking, textRanking);
  }

  optimize(): Promise<void> {
    return this.writes.run(() => this.optimizeNow());
  }

  async close(): Promise<void> {
    clearTimeout(this.optimizeTimer);
    await this.writes.idle();
    this.table?.close();
    this.connection.close();
  }

  private async vectorSearch(table: Table, vector: number[], scope: string, depth: number): Promise<VectorCandidate[]> {
    // Selecting the score column explicitly stops LanceDB warning about its implicit projection.
    const rows: unknown[] = await table
      .query()
      .nearestTo(vector)
      .distanceType("cosine")
      .where(scope)
      .select([...hitColumns, "_distance"])
      .limit(depth)
      .toArray();
    return rows.map((row) => ({ ...toCandidate(row), similarity: 1 - Number((row as { _distance: unknown })._distance) }));
  }

  private async fullTextSearch(table: Table, text: string, scope: string, depth: number): Promise<Candidate[]> {
    const searchText = toQuerySearchText(text);
    if (!/[\p{L}\p{N}]/u.test(searchText)) return [];
    const rows: unknown[] = await table
      .query()
      .fullTextSearch(searchText, { columns: searchTextColumn })
      .where(scope)
      .select([...hitColumns, "_score"])
      .limit(depth)
      .toArray();
    return rows.map(toCandidate);
  }

  /** Runs inside the write queue after every write. */
  private async afterWrite(rows: number): Promise<void> {
    this.unoptimizedRows += rows;
    this.unoptimizedWrites++;
    if (this.unoptimizedRows >= (this.options.maxUnindexedRows ?? 2_000)) {
      await this.optimizeNow();
      return;
    }
    // A throttle, not a debounce: steady ingestion must not postpone optimization indefinitely.
    if (this.optimizeTimer !== undefined) return;
    this.optimizeTimer = setTimeout(() => {
      this.optimizeTimer = undefined;
      this.optimize().catch(this.options.onBackgroundError ?? ((error) => console.warn("vector index optimize failed", error)));
    }, this.options.optimizeDelayMs ?? 1_000);
    this.optimizeTimer.unref();
  }

  private async optimizeNow(): Promise<void> {
    if (this.table === undefined || this.unoptimizedWrites === 0) return;
    clearTimeout(this.optimizeTimer);
    this.optimizeTimer = undefined;
    await this.table.optimize({ cleanupOlderThan: new Date(Date.now() - versionRetentionMs) });
    this.unoptimizedRows = 0;
    this.unoptimizedWrites = 0;
  }
}
