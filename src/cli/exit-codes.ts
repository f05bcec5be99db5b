/** What `spool`'s exit status means; `--help` of every command lists the ones it uses. */
export const exitCodes = {
  ok: 0,
  /** Some of the work failed: bad input, a missing thread, a failed check, an error. */
  failed: 1,
  /** The command line or a setting is wrong; nothing was done. */
  usage: 2,
  /** Import only: done, but ids already here with different content were left alone (see --overwrite). */
  conflicts: 3,
} as const;

/** A wrong command line: printed with a pointer to `--help`, exit status `usage`. */
export class UsageError extends Error {
  override name = "UsageError";
}
