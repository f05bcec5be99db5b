import type { Kysely } from "kysely";
import { InvalidRequestError } from "../errors/api-error.js";
import type { Database, ObjectTable } from "./sql/database.js";

export interface StoredObject {
  id: string;
  created_at: number;
}

/** The columns a collection derives from each object so lists can filter on them. */
export interface IndexedColumns {
  parent_id?: string | null;
  run_id?: string | null;
  status?: string | null;
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

export interface ListPage<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * One table of objects stored as JSON. All reads and writes of API objects go through here, so a new SQL
 * dialect only needs a Kysely dialect and its `DialectFeatures`.
 */
export class Collection<T extends StoredObject> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly table: ObjectTable,
    private readonly columns: (object: T) => IndexedColumns,
  ) {}

  async insert(object: T): Promise<void> {
    await this.db
      .insertInto(this.table)
      .values({ id: object.id, created_at: object.created_at, body: JSON.stringify(object), ...this.columns(object) })
      .execute();
  }

  async get(id: string, parentId?: string): Promise<T | undefined> {
    let query = this.db.selectFrom(this.table).select("body").where("id", "=", id);
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const row = await query.executeTakeFirst();
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  /**
   * Replaces the stored object. With `expectedStatus`, the write happens only if the stored status still
   * matches, so two writers racing on a run cannot both win. Returns whether a row was written.
   */
  async update(object: T, options: { expectedStatus?: string; parentId?: string } = {}): Promise<boolean> {
    let query = this.db
      .updateTable(this.table)
      .set({ body: JSON.stringify(object), ...this.columns(object) })
      .where("id", "=", object.id);
    if (options.expectedStatus !== undefined) query = query.where("status", "=", options.expectedStatus);
    if (options.parentId !== undefined) query = query.where("parent_id", "=", options.parentId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string, parentId?: string): Promise<boolean> {
    let query = this.db.deleteFrom(this.table).where("id", "=", id);
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteByParent(parentId: string): Promise<void> {
    await this.db.deleteFrom(this.table).where("parent_id", "=", parentId).execute();
  }

  /** Every object matching the filter, in creation order. For internal scans, not for API lists. */
  async findAll(filter: { parentId?: string; runId?: string; statuses?: readonly string[] }): Promise<T[]> {
    let query = this.db.selectFrom(this.table).select("body").orderBy("seq", "asc");
    if (filter.parentId !== undefined) query = query.where("parent_id", "=", filter.parentId);
    if (filter.runId !== undefined) query = query.where("run_id", "=", filter.runId);
    if (filter.statuses !== undefined) query = query.where("status", "in", [...filter.statuses]);
    const rows = await query.execute();
    return rows.map((row) => JSON.parse(row.body) as T);
  }

  async list(listQuery: ListQuery): Promise<ListPage<T>> {
    const { order, limit } = listQuery;
    let query = this.db.selectFrom(this.table).select("body");
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
    let query = this.db.selectFrom(this.table).select("seq").where("id", "=", id);
    if (parentId !== undefined) query = query.where("parent_id", "=", parentId);
    const row = await query.executeTakeFirst();
    if (!row) throw new InvalidRequestError(`Invalid '${param}': no object with id '${id}' in this list.`, { param });
    return row.seq;
  }
}
