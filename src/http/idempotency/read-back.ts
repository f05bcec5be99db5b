/**
 * Where the object a request's transaction returned can be read back (`GET`), for answering a retry
 * whose first answer was lost. The id's prefix must match the type as well: a transaction that returns
 * an object of another kind than its route answers with (a conversation's thread) is not taken for it.
 */
const readBackPaths: Record<string, { prefix: string; path: (id: string, object: Record<string, unknown>) => string | undefined }> = {
  assistant: { prefix: "asst_", path: (id) => `/v1/assistants/${id}` },
  thread: { prefix: "thread_", path: (id) => `/v1/threads/${id}` },
  "thread.message": { prefix: "msg_", path: (id, object) => within("threads", object.thread_id, `messages/${id}`) },
  "thread.run": { prefix: "run_", path: (id, object) => within("threads", object.thread_id, `runs/${id}`) },
  vector_store: { prefix: "vs_", path: (id) => `/v1/vector_stores/${id}` },
  "vector_store.file": { prefix: "file-", path: (id, object) => within("vector_stores", object.vector_store_id, `files/${id}`) },
  "vector_store.file_batch": { prefix: "vsfb_", path: (id, object) => within("vector_stores", object.vector_store_id, `file_batches/${id}`) },
};

function within(collection: string, parentId: unknown, rest: string): string | undefined {
  return typeof parentId === "string" ? `/v1/${collection}/${encodeURIComponent(parentId)}/${rest}` : undefined;
}

export function readBackPathOf(result: unknown): string | null {
  if (typeof result !== "object" || result === null) return null;
  const object = result as Record<string, unknown>;
  const { id, object: type } = object;
  if (typeof id !== "string" || typeof type !== "string") return null;
  const entry = readBackPaths[type];
  if (!entry || !id.startsWith(entry.prefix)) return null;
  return entry.path(encodeURIComponent(id), object) ?? null;
}
