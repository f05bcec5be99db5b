import pg from "pg";

const int8Oid = 20;

/**
 * A pg pool that survives the database going away: a connection the server drops (restart, failover)
 * emits `error` on its client, idle or checked out, and an `error` event nobody listens to ends the
 * process. Queries on it fail with the error instead (answered with a 503) and the pool reconnects.
 */
export function createPgPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // `seq` and timestamps are bigint; they fit in a JavaScript number, so read them as one.
    types: { getTypeParser: (oid, format) => (oid === int8Oid ? Number : pg.types.getTypeParser(oid, format)) },
  });
  const ignore = () => undefined;
  pool.on("error", ignore);
  pool.on("connect", (client) => client.on("error", ignore));
  return pool;
}
