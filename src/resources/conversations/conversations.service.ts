import type { z } from "zod";
import type { AppDependencies } from "../../app-dependencies.js";
import { newId } from "../../domain/ids.js";
import type { Thread } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import { NotFoundError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { assertNoActiveRun } from "../messages/messages.service.js";
import { deleteThread } from "../threads/threads.service.js";
import type { createConversationSchema, updateConversationSchema } from "./conversations.schema.js";
import { conversationItems } from "../../engine/responses/conversation-items.js";
import type { RequestedInputItem } from "./input-items.schema.js";
import { withInputItems } from "./input-resolution.js";
import { appendItems } from "./items.service.js";

/**
 * A conversation is a thread: `conv_` ids are threads' ids too, and any thread id names a conversation.
 * Both APIs read and write the same rows.
 */
export function viewConversation(thread: Thread) {
  return { id: thread.id, object: "conversation" as const, created_at: thread.created_at, metadata: thread.metadata };
}

export async function getConversationThread(store: Store, conversationId: string): Promise<Thread> {
  const thread = await store.threads.get(conversationId);
  if (!thread) throw NotFoundError.object("conversation", conversationId);
  return thread;
}

/** A new conversation has no items an item reference could name. */
export async function createConversation(dependencies: Pick<AppDependencies, "store" | "blobs">, request: z.output<typeof createConversationSchema>): Promise<Thread> {
  const requested = { items: request.items ?? [], param: "items", visible: async () => [] };
  return withInputItems(dependencies, requested, (items) =>
    dependencies.store.transaction(async (transaction) => {
      const thread: Thread = { id: newId("conversation"), object: "thread", created_at: unixNow(), tool_resources: {}, metadata: request.metadata ?? {} };
      await transaction.threads.insert(thread);
      await appendItems(transaction, thread.id, items);
      return thread;
    }),
  );
}

export function updateConversation(store: Store, conversationId: string, request: z.output<typeof updateConversationSchema>): Promise<Thread> {
  return store.transaction(async (transaction) => {
    const thread = { ...(await getConversationThread(transaction, conversationId)), metadata: request.metadata ?? {} };
    await transaction.threads.update(thread);
    return thread;
  });
}

export async function deleteConversation(store: Store, conversationId: string) {
  await getConversationThread(store, conversationId);
  await deleteThread(store, conversationId);
  return { id: conversationId, object: "conversation.deleted" as const, deleted: true };
}

/** Like adding messages, adding items waits for the thread's active run (or response) to finish. */
/** Item references name items of this conversation. */
export async function addItems(dependencies: Pick<AppDependencies, "store" | "blobs">, conversationId: string, requested: RequestedInputItem[]) {
  const { store } = dependencies;
  await getConversationThread(store, conversationId);
  return withInputItems(dependencies, { items: requested, param: "items", visible: () => conversationItems(store, conversationId) }, (items) =>
    store.transaction(async (transaction) => {
      await getConversationThread(transaction, conversationId);
      await assertNoActiveRun(transaction, conversationId, "add messages to");
      return appendItems(transaction, conversationId, items);
    }),
  );
}
