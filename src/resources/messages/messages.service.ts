import { newId } from "../../domain/ids.js";
import type { Attachment, Message, MessageContent, Metadata } from "../../domain/objects.js";
import { activeRunStatuses } from "../../domain/objects.js";
import type { CreateMessageRequest } from "../../domain/request-schemas.js";
import { unixNow } from "../../domain/time.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { addFilesToThreadStore } from "../vector-stores/implicit-stores.js";

export async function assertNoActiveRun(store: Store, threadId: string, action: "add messages to" | "create a run on"): Promise<void> {
  const [active] = await store.runs.findAll({ parentId: threadId, statuses: activeRunStatuses });
  if (!active) return;
  const message =
    action === "add messages to"
      ? `Can't add messages to ${threadId} while a run ${active.id} is active.`
      : `Thread ${threadId} already has an active run ${active.id}.`;
  throw new InvalidRequestError(message);
}

function toContent(content: CreateMessageRequest["content"]): MessageContent[] {
  if (typeof content === "string") return [{ type: "text", text: { value: content, annotations: [] } }];
  return content.map((part): MessageContent => {
    if (part.type === "text") return { type: "text", text: { value: part.text, annotations: [] } };
    if (part.type === "image_file") return { type: "image_file", image_file: { file_id: part.image_file.file_id, detail: part.image_file.detail ?? "auto" } };
    return { type: "image_url", image_url: { url: part.image_url.url, detail: part.image_url.detail ?? "auto" } };
  });
}

async function assertFilesExist(store: Store, fileIds: readonly string[], param: string): Promise<void> {
  for (const fileId of fileIds) {
    if (!(await store.files.get(fileId))) {
      throw new InvalidRequestError(`No file found with id '${fileId}'.`, { param });
    }
  }
}

/**
 * Builds a user-authored (API-created) message; it is complete the moment it exists. Call inside the
 * request's transaction: files attached for file_search are added to the thread's vector store.
 */
export async function buildUserMessage(store: Store, threadId: string, request: CreateMessageRequest): Promise<Message> {
  const attachments: Attachment[] = "attachments" in request && request.attachments ? request.attachments : [];
  const fileIds = "file_ids" in request && request.file_ids ? request.file_ids : [];
  await assertFilesExist(store, attachments.map((attachment) => attachment.file_id), "attachments");
  await assertFilesExist(store, fileIds, "file_ids");
  const content = toContent(request.content);
  await assertFilesExist(
    store,
    content.flatMap((part) => (part.type === "image_file" ? [part.image_file.file_id] : [])),
    "content",
  );
  // Files for file_search (v2 attachments, v1 file_ids) are searched through the thread's vector store.
  const searchable = attachments.filter((attachment) => attachment.tools.some((tool) => tool.type === "file_search"));
  await addFilesToThreadStore(store, threadId, searchable.map((attachment) => attachment.file_id), "attachments");
  await addFilesToThreadStore(store, threadId, fileIds, "file_ids");
  const now = unixNow();
  return {
    id: newId("message"),
    object: "thread.message",
    created_at: now,
    thread_id: threadId,
    status: "completed",
    incomplete_details: null,
    completed_at: now,
    incomplete_at: null,
    role: request.role,
    content,
    assistant_id: null,
    run_id: null,
    attachments,
    metadata: request.metadata ?? {},
    file_ids: fileIds,
  };
}

export async function getThreadOrThrow(store: Store, threadId: string) {
  const thread = await store.threads.get(threadId);
  if (!thread) throw NotFoundError.object("thread", threadId);
  return thread;
}

export async function createMessage(store: Store, threadId: string, request: CreateMessageRequest): Promise<Message> {
  return store.transaction(async (transaction) => {
    await getThreadOrThrow(transaction, threadId);
    await assertNoActiveRun(transaction, threadId, "add messages to");
    const message = await buildUserMessage(transaction, threadId, request);
    await transaction.messages.insert(message);
    return message;
  });
}

export async function getMessage(store: Store, threadId: string, messageId: string): Promise<Message> {
  await getThreadOrThrow(store, threadId);
  const message = await store.messages.get(messageId, threadId);
  if (!message) throw NotFoundError.object("message", messageId);
  return message;
}

export async function modifyMessage(store: Store, threadId: string, messageId: string, metadata: Metadata | null | undefined) {
  return store.transaction(async (transaction) => {
    const message = await getMessage(transaction, threadId, messageId);
    const next = { ...message, metadata: metadata === undefined ? message.metadata : (metadata ?? {}) };
    await transaction.messages.update(next);
    return next;
  });
}

export async function deleteMessage(store: Store, threadId: string, messageId: string) {
  return store.transaction(async (transaction) => {
    await getMessage(transaction, threadId, messageId);
    await transaction.messages.delete(messageId, threadId);
    return { id: messageId, object: "thread.message.deleted" as const, deleted: true };
  });
}

export async function listMessages(store: Store, threadId: string, query: ListQuery & { runId?: string }) {
  await getThreadOrThrow(store, threadId);
  return store.messages.list({ ...query, parentId: threadId });
}
