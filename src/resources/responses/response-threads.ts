import { newId } from "../../domain/ids.js";
import type { ConversationItem } from "../../domain/items.js";
import { activeRunStatuses, type Thread } from "../../domain/objects.js";
import type { ResponseRecord } from "../../domain/responses.js";
import { unixNow } from "../../domain/time.js";
import { entryItems, fileNames } from "../../engine/responses/conversation-items.js";
import { isResponseRun } from "../../engine/responses/response-runs.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { getConversationThread } from "../conversations/conversations.service.js";
import type { InputItem } from "../conversations/input-items.schema.js";
import { toInput } from "../conversations/input-resolution.js";
import { appendItems } from "../conversations/items.service.js";

/** Where a response's input and output go. */
export interface ResponseThread {
  id: string;
  /** Whether the thread is the conversation the client named (then the response shows it). */
  conversation: boolean;
}

async function newThread(store: Store): Promise<Thread> {
  const thread: Thread = { id: newId("thread"), object: "thread", created_at: unixNow(), tool_resources: {}, metadata: {} };
  await store.threads.insert(thread);
  return thread;
}

/** Whether `previous` is the last thing on its thread, and nothing runs there: then the chain continues on it. */
async function endsItsThread(store: Store, previous: ResponseRecord): Promise<boolean> {
  if (previous.conversation) return false;
  if ((await store.runs.findAll({ parentId: previous.thread_id, statuses: activeRunStatuses })).length > 0) return false;
  const [last] = (await store.threadItems.list({ parentId: previous.thread_id, limit: 1, order: "desc" })).data;
  return !last || last.run_id === previous.id || previous.input_items.some((item) => item.id === last.id);
}

/**
 * A new thread holding what the model saw in `previous`: the items of its thread up to its own output,
 * its own function calls without the outputs other responses gave them later.
 */
async function fork(store: Store, previous: ResponseRecord): Promise<Thread> {
  const thread = await newThread(store);
  const entries = await store.threadItems.findAll({ parentId: previous.thread_id });
  const inputIds = new Set(previous.input_items.map((item) => item.id));
  const end = entries.findLastIndex((entry) => entry.run_id === previous.id || inputIds.has(entry.id));
  const names = fileNames(store);
  const items: ConversationItem[] = [];
  for (const entry of entries.slice(0, end + 1)) items.push(...(await entryItems(store, entry, names, { outputs: entry.run_id !== previous.id })));
  await appendItems(store, thread.id, items.map(toInput));
  return thread;
}

/**
 * A response in a conversation uses its thread. One that continues a previous response uses that
 * response's thread while the chain is linear, and a copy of what the previous one saw when it branches
 * off (or when the previous one was part of a conversation). Any other gets a thread of its own.
 */
export async function responseThread(store: Store, conversationId: string | undefined, previous: ResponseRecord | undefined): Promise<ResponseThread> {
  if (conversationId !== undefined) return { id: (await getConversationThread(store, conversationId)).id, conversation: true };
  if (!previous) return { id: (await newThread(store)).id, conversation: false };
  if (await endsItsThread(store, previous)) return { id: previous.thread_id, conversation: false };
  return { id: (await fork(store, previous)).id, conversation: false };
}

/**
 * The function calls a response ended with must be answered by the next one: on a conversation, the
 * calls of its latest response; after `previous`, that one's calls.
 */
export async function assertCallsAnswered(store: Store, threadId: string, previous: ResponseRecord | undefined, input: InputItem[]): Promise<void> {
  const runs = previous ? [await store.runs.get(previous.id)] : (await store.runs.findAll({ parentId: threadId })).slice(-1);
  const run = runs[0];
  if (!run || !isResponseRun(run)) return;
  const answered = new Set(input.flatMap((item) => (item.type === "function_call_output" ? [item.call_id] : [])));
  for (const step of await store.runSteps.findAll({ parentId: run.id })) {
    if (step.step_details.type !== "tool_calls") continue;
    for (const call of step.step_details.tool_calls) {
      if (call.type === "function" && call.function.output === null && !answered.has(call.id)) {
        throw new InvalidRequestError(`No tool output found for function call ${call.id}.`, { param: "input" });
      }
    }
  }
}
