/** What differs between the SQL dialects Spool runs on, as data rather than `if (postgres)` branches. */
export interface DialectFeatures {
  name: "sqlite" | "postgres";
  /** Column type of the `seq` primary key. */
  autoIncrementType: "integer" | "bigserial";
  /** SQLite needs AUTOINCREMENT so that deleted seqs are never reused (cursors stay valid). */
  needsAutoIncrementKeyword: boolean;
}

export const sqliteFeatures: DialectFeatures = {
  name: "sqlite",
  autoIncrementType: "integer",
  needsAutoIncrementKeyword: true,
};

export const postgresFeatures: DialectFeatures = {
  name: "postgres",
  autoIncrementType: "bigserial",
  needsAutoIncrementKeyword: false,
};
