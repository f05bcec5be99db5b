import { afterAll, beforeAll } from "vitest";
import { freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "./throwaway-postgres.js";

/**
 * A throwaway Postgres server for the calling test file: started before its tests, stopped after them.
 * `freshDatabase` gives each test its own empty database on it.
 */
export function throwawayPostgresForFile() {
  let postgres: ThrowawayPostgres | undefined;
  beforeAll(async () => {
    postgres = await startThrowawayPostgres();
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  const server = (): ThrowawayPostgres => {
    if (!postgres) throw new Error("The throwaway Postgres is not started yet: use it inside tests or hooks.");
    return postgres;
  };
  return { server, freshDatabase: (prefix?: string) => freshDatabase(server(), prefix) };
}
