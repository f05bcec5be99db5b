import { matchesAttributeFilter, type AttributeFilter, type Attributes } from "../attribute-filter.js";
import { sqlString, sqlStringList } from "./sql.js";

/**
 * The attributes of every indexed file, kept in memory so an attribute filter can be turned into an
 * exact `file_id` predicate that LanceDB applies before ranking. Attributes live in a JSON column,
 * which LanceDB's SQL cannot query, and post-filtering an over-fetched result could come up short.
 */
export class FileAttributeCatalog {
  private readonly stores = new Map<string, Map<string, Attributes | null>>();

  set(vectorStoreId: string, fileId: string, attributes: Attributes | null): void {
    let files = this.stores.get(vectorStoreId);
    if (files === undefined) {
      files = new Map();
      this.stores.set(vectorStoreId, files);
    }
    files.set(fileId, attributes);
  }

  has(vectorStoreId: string, fileId: string): boolean {
    return this.stores.get(vectorStoreId)?.has(fileId) ?? false;
  }

  deleteFile(vectorStoreId: string, fileId: string): void {
    this.stores.get(vectorStoreId)?.delete(fileId);
  }

  deleteStore(vectorStoreId: string): void {
    this.stores.delete(vectorStoreId);
  }

  /**
   * A SQL predicate selecting the chunks of files in `vectorStoreIds` whose attributes satisfy `filter`,
   * or `undefined` when no file does.
   */
  predicate(vectorStoreIds: string[], filter: AttributeFilter): string | undefined {
    const perStore: string[] = [];
    for (const vectorStoreId of new Set(vectorStoreIds)) {
      const matching = [...(this.stores.get(vectorStoreId) ?? [])]
        .filter(([, attributes]) => matchesAttributeFilter(filter, attributes))
        .map(([fileId]) => fileId);
      if (matching.length === 0) continue;
      perStore.push(`(vector_store_id = ${sqlString(vectorStoreId)} AND file_id IN (${sqlStringList(matching)}))`);
    }
    return perStore.length === 0 ? undefined : perStore.join(" OR ");
  }
}
