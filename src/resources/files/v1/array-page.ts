import { InvalidRequestError } from "../../../errors/api-error.js";
import type { ListPage, ListQuery } from "../../../storage/collection.js";

/** Pages a small in-memory list (kept oldest first) the way stored lists are paged. */
export function pageOfArray<T extends { id: string }>(items: readonly T[], query: Pick<ListQuery, "limit" | "order" | "after" | "before">): ListPage<T> {
  let ordered = query.order === "asc" ? [...items] : [...items].reverse();
  const cut = (id: string, param: "after" | "before") => {
    const position = ordered.findIndex((item) => item.id === id);
    if (position < 0) throw new InvalidRequestError(`Invalid '${param}': no object with id '${id}' in this list.`, { param });
    return position;
  };
  if (query.after !== undefined) ordered = ordered.slice(cut(query.after, "after") + 1);
  if (query.before !== undefined) {
    const end = cut(query.before, "before");
    const start = Math.max(0, end - query.limit);
    return { data: ordered.slice(start, end), hasMore: start > 0 };
  }
  return { data: ordered.slice(0, query.limit), hasMore: ordered.length > query.limit };
}
