/** A file attribute value, as accepted by the vector store file `attributes` field. */
export type AttributeValue = string | number | boolean;

/** Up to 16 key/value pairs attached to a vector store file (OpenAI `attributes`). */
export type Attributes = Record<string, AttributeValue>;

/** OpenAI `ComparisonFilter`: compares one attribute with a constant. */
export interface ComparisonFilter {
  type: "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "in" | "nin";
  key: string;
  /** For `in` / `nin` an array of candidates, otherwise a single value. */
  value: AttributeValue | AttributeValue[];
}

/** OpenAI `CompoundFilter`: combines filters with `and` / `or`. */
export interface CompoundFilter {
  type: "and" | "or";
  filters: AttributeFilter[];
}

export type AttributeFilter = ComparisonFilter | CompoundFilter;

/**
 * Evaluates a filter against a file's attributes. A missing key (or a file without attributes) only
 * satisfies `ne` and `nin`; ordering operators compare numbers with numbers and strings with strings
 * (so ISO dates order correctly) and are false across types.
 */
export function matchesAttributeFilter(filter: AttributeFilter, attributes: Attributes | null): boolean {
  switch (filter.type) {
    case "and":
      return filter.filters.every((inner) => matchesAttributeFilter(inner, attributes));
    case "or":
      return filter.filters.some((inner) => matchesAttributeFilter(inner, attributes));
    default:
      return matchesComparison(filter, attributes);
  }
}

function matchesComparison(filter: ComparisonFilter, attributes: Attributes | null): boolean {
  const actual = attributes !== null && Object.hasOwn(attributes, filter.key) ? attributes[filter.key] : undefined;
  const expected = filter.value;
  switch (filter.type) {
    case "eq":
      return actual !== undefined && actual === expected;
    case "ne":
      return actual === undefined || actual !== expected;
    case "in":
      return actual !== undefined && Array.isArray(expected) && expected.includes(actual);
    case "nin":
      return actual === undefined || !Array.isArray(expected) || !expected.includes(actual);
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return actual !== undefined && !Array.isArray(expected) && compareOrdered(filter.type, actual, expected);
  }
}

function compareOrdered(operator: "gt" | "gte" | "lt" | "lte", actual: AttributeValue, expected: AttributeValue) {
  const comparable =
    (typeof actual === "number" && typeof expected === "number") ||
    (typeof actual === "string" && typeof expected === "string");
  if (!comparable) return false;
  switch (operator) {
    case "gt":
      return actual > expected;
    case "gte":
      return actual >= expected;
    case "lt":
      return actual < expected;
    case "lte":
      return actual <= expected;
  }
}
