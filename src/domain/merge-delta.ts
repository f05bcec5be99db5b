
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Folds a stream delta into the object it describes, by the rules the SDKs use when they accumulate
 * `thread.*.delta` events: strings concatenate, objects merge key by key, array entries merge by their
 * `index`, anything else is replaced; `type` and `id` are replaced too. `index` itself is bookkeeping and is
 * not copied.
 */
export function mergeDelta<T>(target: T, delta: unknown): T {
  if (typeof target === "string" && typeof delta === "string") return (target + delta) as T;
  if (Array.isArray(target) && Array.isArray(delta)) {
    const merged: unknown[] = [...target];
    for (const entry of delta) {
      const index = isRecord(entry) && typeof entry.index === "number" ? entry.index : merged.length;
      merged[index] = merged[index] === undefined ? withoutIndex(entry) : mergeDelta(merged[index], entry);
    }
    return merged as T;
  }
  if (isRecord(target) && isRecord(delta)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(delta)) {
      if (key === "index") continue;
      const replace = key === "type" || key === "id" || merged[key] === undefined || merged[key] === null;
      merged[key] = replace ? withoutIndex(value) : mergeDelta(merged[key], value);
    }
    return merged as T;
  }
  return delta as T;
}

function withoutIndex(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIndex);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "index").map(([key, item]) => [key, withoutIndex(item)]));
}

