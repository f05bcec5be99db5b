/**
 * The queries in the model's call. The function takes `{ query }`, but models also send `{ queries: [...] }`
 * (the hosted tool's shape), a bare string, or JSON that does not parse; whatever text there is gets searched.
 */
export function parseSearchQueries(input: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return input.trim() ? [input.trim()] : [];
  }
  if (typeof parsed === "string") return [parsed];
  if (typeof parsed !== "object" || parsed === null) return [];
  const record = parsed as Record<string, unknown>;
  const queries = [record.query, ...(Array.isArray(record.queries) ? record.queries : [record.queries])];
  return queries.filter((query): query is string => typeof query === "string" && query.trim().length > 0);
}
