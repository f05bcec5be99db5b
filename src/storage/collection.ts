import { sql, type CompiledQuery, type ExpressionBuilder, type InsertQueryBuilder, type InsertResult, type Kysely } from "kysely";
import type { Database, ObjectRow, ObjectTable } from "./sql/database.js";
import type { DialectFeatures } from "./sql/dialect-features.js";
import { defaultProjectId } from "../domain/projects.js";
import { unixNow } from "../domain/time.js";
import { databaseNowMs } from "./sql/sql-leases.js";
import { DuplicateKeyError, InvalidCursorError, violatedUniqueIndex } from "./storage-errors.js";

export interface StoredObject {
  id: string;
  created_at: number;
}

/** The columns a collection derives from each object so lists can filter on them. */
export interface IndexedColumns {
  parent_id?: string | null;
  run_id?: string | null;
  status?: string | null;
  /**
   * Unix seconds from which the object is gone, as if deleted: no read returns it any more, and
   * `findExpired` lists it for the housekeeping sweep to delete for good.
   */
  expires_at?: number | null;
}

/** An expired object's row, for the sweep that deletes it in its project. */
export interface ExpiredRow {
  id: string;
  projectId: string;
}

export interface ListQuery {
  parentId?: string;
  runId?: string;
  statuses?: readonly string[];
  limit: number;
  order: "asc" | "desc";
  after?: string;
  before?: string;
}

/** An object's row as stored: the indexed columns and the object itself as JSON (`seq` comes from the database). */
export type ObjectRowValues = Omit<ObjectRow, "seq">;

/** A row to insert, and its table. */
export interface PendingRow {
  table: ObjectTable;
  row: ObjectRowValues;
  /** For a leased table (runs, vector store files): the row is inserted held by this lease (see `insertLeased`). */
  lease?: NewLease;
}

/** A lease a row is inserted with: `owner` holds it for `ttlMs` (by the database's clock), as attempt 1. */
export interface NewLease {
  owner: string;
  ttlMs: number;
}

/** The tables whose rows carry a lease (`LeasedRow`). */
const leasedTables: readonly ObjectTable[] = ["runs", "vector_store_files"];

export interface ListPage<T> {
  data: T[];
  hasMore: boolean;
}

/** The SQL condition for rows not expired at `now` (see `IndexedColumns.expires_at`). */
function unexpiredAt(now: number) {
  return (where: ExpressionBuilder<Database, ObjectTable>) => where.or([where("expires_at", "is", null), where("expires_at", ">", now)]);
}

/**
 * Compiled SQL per query shape, shared by all collections and transactions. Kysely builds the SQL (so it
 * stays dialect-correct); hot paths reuse it with fresh parameters instead of rebuilding it every call.
 * Parameters must be passed in the order the builder emits them (the order of `values`/`set` keys, then
 * of `where` calls).
 */
const compiledQueries = new Map<string, CompiledQuery>();

/**
 * One table of objects stored as JSON. All reads and writes of API objects go through here, so a new SQL
 * dialect only needs a Kysely dialect and its `DialectFeatures`.
 *
 * A collection scoped to a project (`project`) reads, changes and deletes only that project's rows, and
 * inserts into it: isolation between projects lives here, not in each service. An unscoped collection (the
 * engine's claims, internal scans, the admin API) sees every project and inserts into the default one.
 */
export class Collection<T extends StoredObject> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectFeatures["name"],
    private readonly table: ObjectTable,
    private readonly columns: (object: T) => IndexedColumns,
    private readonly project?: string,
  ) {}

  /** The `where` conditions every query of this collection carries (none when unscoped). */
  private scope<Q extends { where(column: "project_id", operator: "=", value: string): Q }>(query: Q): Q {
    return this.project === undefined ? query : query.where("project_id", "=", this.project);
  }

  /** Parameters for a compiled query: the scope's value comes last, as `scope` is applied last. */
  private scoped(parameters: unknown[]): unknown[] {
    return this.project === undefined ? parameters : [...parameters, this.project];
  }

  private async execute<R>(shape: string, build: () => { compile(): CompiledQuery<R> }, parameters: unknown[]) {
    const key = `${this.dialect}:${this.table}:${this.project === undefined ? "all" : "project"}:${shape}`;
    let compiled = compiledQueries.get(key);
    if (!compiled) {
      compiled = build().compile();
      compiledQueries.set(key, compiled);
    }
    return this.db.executeQuery<R>({ ...(compiled as CompiledQuery<R>), parameters });
  }

  private row(object: T): ObjectRowValues {
    const columns = this.columns(object);
    return {
      id: object.id,
      created_at: object.created_at,
      parent_id: columns.parent_id ?? null,
      run_id: columns.run_id ?? null,
      status: columns.status ?? null,
      body: JSON.stringify(object),
      project_id: this.project ?? defaultProjectId,
      expires_at: columns.expires_at ?? null,
    };
  }

  /** Whether the object has expired, which every read treats as deleted (the sweep may not have run yet). */
  private hasExpired(object: T, now = unixNow()): boolean {
    const expiresAt = this.columns(object).expires_at;
    return expiresAt !== undefined && expiresAt !== null && expiresAt <= now;
  }

  private unexpired(object: T | undefined): T | undefined {
    return object && !this.hasExpired(object) ? object : undefined;
  }

  /** The rows inserting `object` writes: its own, then any its collection keeps beside it (a thread item). */
  rowsOf(object: T): PendingRow[] {
    return [{ table: this.table, row: this.row(object) }];
  }

  /**
   * Throws `DuplicateKeyError` when a unique index refuses the object (an id taken, a second active run).
   * `together`: rows of other collections (their `rowsOf`) written with it, all or none; on Postgres in
   * the same statement, so a step and its message cost one round trip. At most one row per table: the
   * order of rows inserted by one statement is not defined, and a table's `seq` is its creation order.
   */
  async insert(object: T, together: PendingRow[] = []): Promise<void> {
    await this.insertRows([...this.rowsOf(object), ...together]);
  }

  /**
   * `insert`, with the object's row already leased to `lease.owner` as attempt 1 (its fencing token): for a
   * row its creator works on at once, with no claim. Once the lease lapses, any process may claim the row.
   */
  async insertLeased(object: T, lease: NewLease, together: PendingRow[] = []): Promise<void> {
    if (!leasedTables.includes(this.table)) throw new Error(`The ${this.table} table has no leases.`);
    const [own, ...rest] = this.rowsOf(object);
    if (own) await this.insertRows([{ ...own, lease }, ...rest, ...together]);
  }

  private async insertRows([own, ...others]: PendingRow[]): Promise<void> {
    if (!own) return;
    if (others.length === 0 && !own.lease) {
      await this.refusingDuplicates(this.execute("insert", () => this.db.insertInto(this.table).values(own.row), Object.values(own.row)));
    } else if (others.length === 0) {
      await this.refusingDuplicates(this.insertQuery(own).execute());
    } else if (this.dialect === "postgres") {
      const inserts = others.map((other, index) => sql`${sql.id(`together_${index}`)} as (${this.insertQuery(other).returning("id")})`);
      await this.refusingDuplicates(sql`with ${sql.join(inserts)} ${this.insertQuery(own)}`.execute(this.db));
    } else {
      // SQLite has no writes inside WITH: one statement per row, in one transaction.
      const insertAll = async (db: Kysely<Database>) => {
        for (const row of [own, ...others]) await this.refusingDuplicates(this.insertQuery(row, db).execute());
      };
      await (this.db.isTransaction ? insertAll(this.db) : this.db.transaction().execute(insertAll));
    }
  }

  private insertQuery(pending: PendingRow, db: Kysely<Database> = this.db): InsertQueryBuilder<Database, ObjectTable, InsertResult> {
    const { lease } = pending;
    if (!lease) return db.insertInto(pending.table).values(pending.row);
    const leased = { ...pending.row, lease_owner: lease.owner, lease_expires_at: sql<number>`${databaseNowMs(this.dialect)} + ${lease.ttlMs}`, attempt: 1 };
    // The lease columns exist on the leased tables only (checked in `insertLeased`), not on `ObjectTable` as a whole.
    const row: ObjectRowValues = leased;
    return db.insertInto(pending.table).values(row);
  }

  private async refusingDuplicates<R>(write: Promise<R>): Promise<R> {
    try {
      return await write;
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index !== undefined) throw new DuplicateKeyError(this.table, index);
      throw error;
    }
  }

  async get(id: string, parentId?: string): Promise<T | undefined> {
    const result =
      parentId === undefined
        ? await this.execute("get", () => this.scope(this.db.selectFrom(this.table).select("body").where("id", "=", id)), this.scoped([id]))
        : await this.execute(
            "get-in-parent",
            () => this.scope(this.db.selectFrom(this.table).select("body").where("id", "=", id).where("parent_id", "=", parentId)),
            this.scoped([id, parentId]),
          );
    const row = result.rows[0];
    return this.unexpired(row ? (JSON.parse(row.body) as T) : undefined);
  }

  /**
   * `get` for a read-modify-write: inside a Postgres transaction the row stays locked until commit, so a
   * concurrent writer waits and then reads this one's result instead of overwriting it with a stale copy.
   * SQLite runs one transaction at a time, so a plain read does.
   */
  async getForUpdate(id: string, parentId?: string): Promise<T | undefined> {
    if (this.dialect !== "postgres") return this.get(id, parentId);
    let query = this.scope(this.db.selectFrom(this.table).select("body").where("id", "=", id));
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const row = await query.forUpdate().executeTakeFirst();
    return this.unexpired(row ? (JSON.parse(row.body) as T) : undefined);
  }

  /**
   * Replaces the stored object. With `expectedStatus`, the write happens only if the stored status still
   * matches, so two writers racing on a run cannot both win. Returns whether a row was written.
   */
  async update(object: T, options: { expectedStatus?: string; parentId?: string } = {}): Promise<boolean> {
    const { parent_id, run_id, status, body, expires_at } = this.row(object);
    const values = { parent_id, run_id, status, body, expires_at };
    const conditions: [column: "status" | "parent_id", value: string][] = [];
    if (options.expectedStatus !== undefined) conditions.push(["status", options.expectedStatus]);
    if (options.parentId !== undefined) conditions.push(["parent_id", options.parentId]);
    const shape = `update:${conditions.map(([column]) => column).join(",")}`;
    const result = await this.execute(
      shape,
      () => {
        let query = this.db.updateTable(this.table).set(values).where("id", "=", object.id);
        for (const [column, value] of conditions) query = query.where(column, "=", value);
        return this.scope(query);
      },
      this.scoped([...Object.values(values), object.id, ...conditions.map(([, value]) => value)]),
    );
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async delete(id: string, parentId?: string): Promise<boolean> {
    let query = this.scope(this.db.deleteFrom(this.table).where("id", "=", id));
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteByParent(parentId: string): Promise<void> {
    await this.scope(this.db.deleteFrom(this.table).where("parent_id", "=", parentId)).execute();
  }

  /** Every object matching the filter, in creation order. For internal scans, not for API lists. */
  async findAll(filter: { parentId?: string; runId?: string; statuses?: readonly string[] }): Promise<T[]> {
    const conditions: [column: "parent_id" | "run_id", value: string][] = [];
    if (filter.parentId !== undefined) conditions.push(["parent_id", filter.parentId]);
    if (filter.runId !== undefined) conditions.push(["run_id", filter.runId]);
    const statuses = filter.statuses ? [...filter.statuses] : undefined;
    const shape = `find:${conditions.map(([column]) => column).join(",")}:${statuses?.length ?? "-"}`;
    const result = await this.execute(
      shape,
      () => {
        let query = this.db.selectFrom(this.table).select("body");
        for (const [column, value] of conditions) query = query.where(column, "=", value);
        if (statuses) query = query.where("status", "in", statuses);
        return this.scope(query).orderBy("seq", "asc");
      },
      this.scoped([...conditions.map(([, value]) => value), ...(statuses ?? [])]),
    );
    const now = unixNow();
    return result.rows.map((row) => JSON.parse(row.body) as T).filter((object) => !this.hasExpired(object, now));
  }

  /**
   * Objects whose expiry has passed by `now`, the longest expired first, at most `limit`: what the sweep
   * deletes. Indexed for the tables whose objects expire (files), so it never scans the others' rows.
   */
  async findExpired(now: number, limit: number): Promise<ExpiredRow[]> {
    const rows = await this.scope(this.db.selectFrom(this.table).select(["id", "project_id"]).where("expires_at", "<=", now))
      .orderBy("expires_at", "asc")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: row.id, projectId: row.project_id }));
  }

  /** How many objects have one of `statuses` (e.g. files waiting to be ingested, for metrics). */
  async countByStatus(statuses: readonly string[]): Promise<number> {
    const row = await this.scope(
      this.db
        .selectFrom(this.table)
        .select((builder) => builder.fn.countAll<number | string>().as("count"))
        .where("status", "in", [...statuses])
        .where(unexpiredAt(unixNow())),
    ).executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async list(listQuery: ListQuery): Promise<ListPage<T>> {
    const { order, limit } = listQuery;
    let query = this.scope(
      this.db.selectFrom(this.table).select("body").where(unexpiredAt(unixNow())),
    );
    if (listQuery.parentId !== undefined) query = query.where("parent_id", "=", listQuery.parentId);
    if (listQuery.runId !== undefined) query = query.where("run_id", "=", listQuery.runId);
    if (listQuery.statuses !== undefined) query = query.where("status", "in", [...listQuery.statuses]);
    if (listQuery.after !== undefined) {
      const cursor = await this.cursorSeq(listQuery.after, "after", listQuery.parentId);
      query = query.where("seq", order === "asc" ? ">" : "<", cursor);
    }
    // `before` returns the page that ends right before the cursor, still in the requested order.
    const reverse = listQuery.before !== undefined;
    if (listQuery.before !== undefined) {
      const cursor = await this.cursorSeq(listQuery.before, "before", listQuery.parentId);
      query = query.where("seq", order === "asc" ? "<" : ">", cursor);
    }
    const scanOrder = (order === "asc") !== reverse ? "asc" : "desc";
    const rows = await query.orderBy("seq", scanOrder).limit(limit + 1).execute();
    const page = rows.slice(0, limit).map((row) => JSON.parse(row.body) as T);
    if (reverse) page.reverse();
    return { data: page, hasMore: rows.length > limit };
  }

  private async cursorSeq(id: string, param: "after" | "before", parentId?: string): Promise<number> {
    let query = this.scope(this.db.selectFrom(this.table).select("seq").where("id", "=", id));
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const row = await query.executeTakeFirst();
    if (!row) throw new InvalidCursorError(param, id);
    return row.seq;
  }
}
