import { isDeepStrictEqual } from "node:util";
import type { Collection, StoredObject } from "../storage/collection.js";
import type { Store } from "../storage/store.js";

/** What importing one object did. */
export type Outcome = "added" | "unchanged" | "overwritten" | "conflict";

/**
 * Stores `object` under its own id. The same content already there changes nothing (importing twice is
 * harmless); other content under that id is a conflict, left alone unless `overwrite`.
 */
export async function putObject<T extends StoredObject>(collection: Collection<T>, object: T, overwrite: boolean): Promise<Outcome> {
  const existing = await collection.get(object.id);
  if (!existing) {
    await collection.insert(object);
    return "added";
  }
  if (isDeepStrictEqual(existing, object)) return "unchanged";
  if (!overwrite) return "conflict";
  await collection.update(object);
  return "overwritten";
}

class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super("dry run: rolled back");
  }
}

/**
 * Runs `work` in one transaction; with `dryRun` it is rolled back after it ran, so a dry run meets every
 * check (unique indexes too) a real import would, and writes nothing.
 */
export async function writeOrRollBack<T>(store: Store, dryRun: boolean, work: (transaction: Store) => Promise<T>): Promise<T> {
  try {
    return await store.transaction(async (transaction) => {
      const result = await work(transaction);
      if (dryRun) throw new RolledBack(result);
      return result;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
}
