import type { z } from "zod";
import { newId } from "../../domain/ids.js";
import type { Message, Thread } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { buildUserMessage, getThreadOrThrow } from "../messages/messages.service.js";
import { normalizeToolResources } from "../tool-resources.js";
import type { CreateThreadRequest, modifyThreadSchema } from "./threads.schema.js";

/**
 * Whether creating this thread only reads and then inserts rows (at most one message, no files, no tool
 * resources), so it fits a one-statement transaction (`Store.insertTransaction`).
 */
export function threadInsertsOnly(request: CreateThreadRequest): boolean {
  const messages = request.messages ?? [];
  return messages.length <= 1 && !addsFiles(messages) && !("tool_resources" in request && request.tool_resources);
}

function addsFiles(messages: NonNullable<CreateThreadRequest["messages"]>): boolean {
  return messages.some((message) => ("attachments" in message && (message.attachments?.length ?? 0) > 0) || ("file_ids" in message && (message.file_ids?.length ?? 0) > 0));
}

/** Creates the thread and its initial messages; call inside a transaction. Returns the thread and its messages. */
export async function insertThread(store: Store, request: CreateThreadRequest): Promise<{ thread: Thread; messages: Message[] }> {
  const thread: Thread = {
    id: newId("thread"),
    object: "thread",
    created_at: unixNow(),
    tool_resources: await normalizeToolResources(store, "tool_resources" in request ? request.tool_resources : undefined),
    metadata: request.metadata ?? {},
  };
  const requests = request.messages ?? [];
  if (requests.length <= 1 && !addsFiles(requests)) {
    // The thread and its one message (with its item) in one statement on Postgres: a round trip fewer before
    // a run's first token. With attachments, building the message changes the thread, so it must exist first.
    const messages = await Promise.all(requests.map((messageRequest) => buildUserMessage(store, thread.id, messageRequest)));
    await store.threads.insert(thread, messages.flatMap((message) => store.messages.rowsOf(message)));
    return { thread, messages };
  }
  await store.threads.insert(thread);
  const messages: Message[] = [];
  for (const messageRequest of requests) {
    const message = await buildUserMessage(store, thread.id, messageRequest);
    await store.messages.insert(message);
    messages.push(message);
  }
  // File-search attachments may have just given the thread a vector store.
  return { thread: (await store.threads.get(thread.id)) ?? thread, messages };
}

export async function createThread(store: Store, request: CreateThreadRequest): Promise<Thread> {
  return (await store.transaction((transaction) => insertThread(transaction, request))).thread;
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
