import { sql, type RawBuilder } from "kysely";
import type { AttributeFilter, AttributeValue, ComparisonFilter } from "../attribute-filter.js";

/**
 * The SQL twin of `matchesAttributeFilter` over the jsonb `attributes` column, so the filter narrows the
 * chunks before Postgres ranks them. Every comparison yields true or false, never NULL, so a missing key
 * behaves exactly as in TypeScript.
 */
export function attributeFilterSql(filter: AttributeFilter): RawBuilder<boolean> {
  switch (filter.type) {
    case "and":
      return filter.filters.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(filter.filters.map(attributeFilterSql), sql` and `)})`;
    case "or":
      return filter.filters.length === 0 ? sql<boolean>`false` : sql<boolean>`(${sql.join(filter.filters.map(attributeFilterSql), sql` or `)})`;
    default:
      return comparisonSql(filter);
  }
}

const orderOperators = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

function comparisonSql(filter: ComparisonFilter): RawBuilder<boolean> {
  const actual = sql`(attributes -> ${filter.key}::text)`;
  const expected = filter.value;
  switch (filter.type) {
    case "eq":
      return sql<boolean>`coalesce(${actual} = ${jsonb(expected)}, false)`;
    case "ne":
      return sql<boolean>`${actual} is distinct from ${jsonb(expected)}`;
    case "in":
      return Array.isArray(expected) ? isAmong(actual, expected) : sql<boolean>`false`;
    case "nin":
      return Array.isArray(expected) ? sql<boolean>`not ${isAmong(actual, expected)}` : sql<boolean>`true`;
    default: {
      const operator = sql.raw(orderOperators[filter.type]);
      // CASE guards the casts: they run only on values of the expected's type, so other types are false.
      if (typeof expected === "number") {
        return sql<boolean>`case when jsonb_typeof(${actual}) = 'number' then ${actual}::numeric ${operator} ${String(expected)}::numeric else false end`;
      }
      if (typeof expected === "string") {
        // Code-point order, as JavaScript compares strings, whatever the database's collation.
        return sql<boolean>`case when jsonb_typeof(${actual}) = 'string' then (${actual} #>> '{}') collate "C" ${operator} ${expected}::text collate "C" else false end`;
      }
      return sql<boolean>`false`;
    }
  }
}

function isAmong(actual: RawBuilder<unknown>, candidates: AttributeValue[]): RawBuilder<boolean> {
  if (candidates.length === 0) return sql<boolean>`false`;
  return sql<boolean>`coalesce(${actual} in (${sql.join(candidates.map(jsonb))}), false)`;
}

function jsonb(value: AttributeValue | AttributeValue[]): RawBuilder<unknown> {
  return sql`${JSON.stringify(value)}::jsonb`;
}
