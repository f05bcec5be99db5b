import { timingSafeEqual } from "node:crypto";
import { apiKeyIdOf, hashApiKey } from "../domain/api-key-values.js";
import { unixNow } from "../domain/time.js";
import type { Logger } from "../logging/logger.js";
import type { Store } from "../storage/store.js";

/** What a presented project key turned out to be. */
export type KeyLookup = { kind: "project"; projectId: string } | { kind: "archived" } | { kind: "unknown" };

/**
 * How long a process trusts what it read about keys. Another process's new key works at once (a miss is
 * read again); a deleted key or archived project stops working everywhere within this.
 */
const cacheMs = 2_000;
/** `last_used_at` is written at most this often per key (it is a hint, not an audit log). */
const lastUsedResolutionSeconds = 60;
const maxCachedKeys = 10_000;

/** Finds the project of a presented key (stored hashed, `api_keys`), with a short cache per process. */
export class ProjectKeys {
  private readonly cache = new Map<string, { lookup: KeyLookup; until: number }>();
  private keysRequired: { value: boolean; until: number } | undefined;

  constructor(
    private readonly store: Pick<Store, "apiKeys" | "projects">,
    private readonly logger: Logger,
  ) {}

  async lookup(value: string): Promise<KeyLookup> {
    const keyId = apiKeyIdOf(value);
    if (keyId === undefined) return { kind: "unknown" };
    const hash = hashApiKey(value);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.lookup;
    const lookup = await this.read(keyId, hash);
    if (this.cache.size >= maxCachedKeys) this.cache.clear();
    // Misses are not kept: a key created through another process must work at once.
    if (lookup.kind !== "unknown") this.cache.set(hash, { lookup, until: Date.now() + cacheMs });
    return lookup;
  }

  /**
   * Whether requests need a key: once a project was created or any key exists. Projects are never deleted,
   * so deleting every key of a team's project does not open the server again.
   */
  async required(): Promise<boolean> {
    if (this.keysRequired && this.keysRequired.until > Date.now()) return this.keysRequired.value;
    const projects = await this.store.projects.list({ limit: 2, order: "asc" });
    const value = projects.data.length > 1 || (await this.store.apiKeys.list({ limit: 1, order: "asc" })).data.length > 0;
    this.keysRequired = { value, until: Date.now() + cacheMs };
    return value;
  }

  /** Forgets what this process read (after it changed keys or projects itself). */
  forget(): void {
    this.cache.clear();
    this.keysRequired = undefined;
  }

  private async read(keyId: string, hash: string): Promise<KeyLookup> {
    const key = await this.store.apiKeys.get(keyId);
    if (!key || !timingSafeEqual(Buffer.from(key.hash), Buffer.from(hash))) return { kind: "unknown" };
    const project = await this.store.projects.get(key.project_id);
    if (!project) return { kind: "unknown" };
    if (project.status === "archived") return { kind: "archived" };
    const now = unixNow();
    if (key.last_used_at === null || now - key.last_used_at >= lastUsedResolutionSeconds) {
      await this.store.apiKeys.update({ ...key, last_used_at: now }).catch((error: unknown) => {
        this.logger.warn("could not record an API key's use", { keyId, error: String(error) });
      });
    }
    return { kind: "project", projectId: key.project_id };
  }
}
