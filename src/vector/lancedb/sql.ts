/** A SQL string literal; quotes are doubled so ids and JSON cannot break out of the literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlStringList(values: Iterable<string>): string {
  return [...values].map(sqlString).join(", ");
}
