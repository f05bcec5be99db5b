/** A write hit a unique key: `constraint` names the index (e.g. `runs_one_active_per_thread`). */
export class DuplicateKeyError extends Error {
  override name = "DuplicateKeyError";
  constructor(
    readonly table: string,
    readonly constraint: string,
  ) {
    super(`Duplicate key in ${table} (${constraint}).`);
  }
}

/** Another process took the run over (this one's lease lapsed); a transaction fenced by the old lease rolls back. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(readonly runId: string) {
    super(`The lease on run ${runId} was taken over by another executor.`);
  }
}

/** A list's `after`/`before` cursor names no object in that list. */
export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
  constructor(
    readonly param: "after" | "before",
    readonly id: string,
  ) {
    super(`Invalid '${param}': no object with id '${id}' in this list.`);
  }
}

const connectionErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"]);

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** Whether `error` (from pg or better-sqlite3) means the connection to the database is gone, not a bad query. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code && connectionErrorCodes.has(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(message);
}

/** The unique index a driver error violated, or undefined when it is another error. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  const code = codeOf(error);
  if (code === "23505") {
    const constraint = (error as { constraint?: unknown }).constraint;
    return typeof constraint === "string" ? constraint : "unique";
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    // SQLite names the columns, not the index: "UNIQUE constraint failed: runs.parent_id".
    return (error as Error).message.replace(/^UNIQUE constraint failed: /, "");
  }
  return undefined;
}
