import { sql, type Kysely, type Migration } from "kysely";
import type { DialectFeatures } from "../sql/dialect-features.js";

/**
 * The file_search index in the database (`src/vector/postgres/`), so that every Spool process on one
 * Postgres searches the same chunks. Plain PostgreSQL types only (pgvector is not always installable):
 * embeddings are unit-length `real[]`, full-text terms a `tsvector`. SQLite installs keep the index in
 * LanceDB beside the database, so there is no table.
 */
export function vectorChunksMigration(features: DialectFeatures): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (features.name !== "postgres") return;
      await db.schema
        .createTable("vector_chunks")
        .addColumn("vector_store_id", "text", (column) => column.notNull())
        .addColumn("file_id", "text", (column) => column.notNull())
        .addColumn("chunk_index", "integer", (column) => column.notNull())
        .addColumn("filename", "text", (column) => column.notNull())
        .addColumn("page_number", "integer")
        .addColumn("text", "text", (column) => column.notNull())
        .addColumn("attributes", "jsonb")
        .addColumn("search_vector", sql`tsvector`, (column) => column.notNull())
        // Term occurrences in `search_vector`: BM25's document length.
        .addColumn("search_length", "integer", (column) => column.notNull())
        .addColumn("embedding", sql`real[]`, (column) => column.notNull())
        .addPrimaryKeyConstraint("vector_chunks_pkey", ["vector_store_id", "file_id", "chunk_index"])
        .execute();
      // Finds the chunks containing any query term (`&&`) without scanning the stores' other chunks.
      await sql`create index vector_chunks_terms on vector_chunks using gin (tsvector_to_array(search_vector))`.execute(db);
      // Cosine similarity of unit vectors. PL/pgSQL (built into every database) reads array elements in
      // place and ran twice as fast as a SQL sum over unnest(), which builds a row per dimension.
      await sql`
        create function vector_chunks_dot_product(a real[], b real[]) returns double precision
        language plpgsql immutable strict parallel safe as $$
        declare
          total double precision := 0;
        begin
          for i in 1 .. least(cardinality(a), cardinality(b)) loop
            total := total + a[i] * b[i];
          end loop;
          return total;
        end
        $$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("vector_chunks").ifExists().execute();
      await sql`drop function if exists vector_chunks_dot_product(real[], real[])`.execute(db);
    },
  };
}
