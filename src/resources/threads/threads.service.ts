import type { z } from "zod";
import { newId } from "../../domain/ids.js";
import type { Thread } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { buildUserMessage, getThreadOrThrow } from "../messages/messages.service.js";
import { normalizeToolResources } from "../tool-resources.js";
import type { CreateThreadRequest, modifyThreadSchema } from "./threads.schema.js";

/** Creates the thread and its initial messages; call inside a transaction. */
export async function insertThread(store: Store, request: CreateThreadRequest): Promise<Thread> {
  const thread: Thread = {
    id: newId("thread"),
    object: "thread",
    created_at: unixNow(),
    tool_resources: await normalizeToolResources(store, "tool_resources" in request ? request.tool_resources : undefined),
    metadata: request.metadata ?? {},
  };
  const messages = request.messages ?? [];
  const addsFiles = messages.some((message) => ("attachments" in message && (message.attachments?.length ?? 0) > 0) || ("file_ids" in message && (message.file_ids?.length ?? 0) > 0));
  if (messages.length <= 1 && !addsFiles) {
    // The thread and its one message (with its item) in one statement on Postgres: a round trip fewer before
    // a run's first token. With attachments, building the message changes the thread, so it must exist first.
    const built = await Promise.all(messages.map((messageRequest) => buildUserMessage(store, thread.id, messageRequest)));
    await store.threads.insert(thread, built.flatMap((message) => store.messages.rowsOf(message)));
    return thread;
  }
  await store.threads.insert(thread);
  for (const messageRequest of messages) {
    await store.messages.insert(await buildUserMessage(store, thread.id, messageRequest));
  }
  // File-search attachments may have just given the thread a vector store.
  return (await store.threads.get(thread.id)) ?? thread;
}

export function createThread(store: Store, request: CreateThreadRequest): Promise<Thread> {
  return store.transaction((transaction) => insertThread(transaction, request));
}

export function getThread(store: Store, threadId: string): Promise<Thread> {
  return getThreadOrThrow(store, threadId);
}

export async function modifyThread(store: Store, threadId: string, request: z.output<typeof modifyThreadSchema>) {
  return store.transaction(async (transaction) => {
    const thread = await getThreadOrThrow(transaction, threadId);
    const next: Thread = {
      ...thread,
      metadata: request.metadata === undefined ? thread.metadata : (request.metadata ?? {}),
      tool_resources:
        request.tool_resources === undefined
          ? thread.tool_resources
          : await normalizeToolResources(transaction, request.tool_resources),
    };
    await transaction.threads.update(next);
    return next;
  });
}

export async function deleteThread(store: Store, threadId: string) {
  return store.transaction(async (transaction) => {
    await getThreadOrThrow(transaction, threadId);
    for (const run of await transaction.runs.findAll({ parentId: threadId })) {
      await transaction.runSteps.deleteByParent(run.id);
    }
    await transaction.runs.deleteByParent(threadId);
    await transaction.messages.deleteByParent(threadId);
    await transaction.threadItems.deleteByParent(threadId);
    await transaction.responses.deleteByParent(threadId);
    await transaction.threads.delete(threadId);
    return { id: threadId, object: "thread.deleted" as const, deleted: true };
  });
}

/** Not in OpenAI's API (threads were never listable there); the playground uses it to show recent threads. */
export function listThreads(store: Store, query: ListQuery) {
  return store.threads.list(query);
}
