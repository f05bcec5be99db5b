import type { AppDependencies } from "../../app-dependencies.js";
import type { ConversationItem } from "../../domain/items.js";
import { activeRunStatuses, type Run } from "../../domain/objects.js";
import type { ResponseRecord } from "../../domain/responses.js";
import type { RunSubscription } from "../../events/run-event-bus.js";
import { terminalRunStatuses } from "../../engine/run-machine.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { ListPage, ListQuery } from "../../storage/collection.js";
import { DuplicateKeyError, InvalidCursorError } from "../../storage/storage-errors.js";
import type { Store } from "../../storage/store.js";
import type { RequestedInputItem } from "../conversations/input-items.schema.js";
import { withInputItems } from "../conversations/input-resolution.js";
import { appendItems } from "../conversations/items.service.js";
import { cancelRun, getRun } from "../runs/runs.service.js";
import { waitForRunChange } from "../runs/wait-for-run-change.js";
import { conversationItems, includeNothing, type Included } from "../../engine/responses/conversation-items.js";
import { getConversationThread } from "../conversations/conversations.service.js";
import { withAssistantPrompt } from "./assistant-prompt.js";
import { assertFitsContext } from "./input-tokens.js";
import { checkResponseContainer, responseContainer } from "./response-container.js";
import { buildResponseRecord, buildResponseRun } from "./response-record.js";
import { assertCallsAnswered, responseThread } from "./response-threads.js";
import { loadResponseState, type ResponseState } from "./response-view.js";
import type { CreateResponseRequest } from "./responses.schema.js";
import { dispatchNewRun, type InsertRun } from "../runs/run-dispatch.js";

/** How long a cancel waits for the executor to stop before it answers (the response is `cancelled` soon after). */
const cancelWaitMs = 5000;

export function inputItemsOf(input: CreateResponseRequest["input"]): RequestedInputItem[] {
  return typeof input === "string" ? [{ role: "user", content: input }] : (input ?? []);
}

/** A stored response; one created with `store: false` cannot be read back, as hosted. */
export async function getRecord(store: Store, responseId: string): Promise<ResponseRecord> {
  const record = await store.responses.get(responseId);
  if (!record?.store) throw new NotFoundError(`Response with id '${responseId}' not found.`);
  return record;
}

async function getPrevious(store: Store, responseId: string): Promise<ResponseRecord> {
  const record = await store.responses.get(responseId);
  if (!record?.store) {
    throw new InvalidRequestError(`Previous response with id '${responseId}' not found.`, { param: "previous_response_id", code: "previous_response_not_found" });
  }
  return record;
}

const locked = (threadId: string) =>
  new InvalidRequestError(`Another response or run is in progress on conversation ${threadId}; wait for it to finish or cancel it.`, { code: "conversation_locked" });

/** `include`: what the request asked to see of its tool calls. */
export async function getResponseState(store: Store, responseId: string, include = includeNothing): Promise<ResponseState> {
  return stateOf(store, await getRecord(store, responseId), include);
}

/** Also for a response created with `store: false`, for the answer to the request that created it. */
async function stateOf(store: Store, record: ResponseRecord, include: Included): Promise<ResponseState> {
  const responseId = record.id;
  const run = await store.runs.get(responseId);
  // The thread it ran on was deleted (as a conversation or a thread): so was the response.
  if (!run) throw new NotFoundError(`Response with id '${responseId}' not found.`);
  return loadResponseState(store, record, run, include);
}


async function insertRun(insert: InsertRun, store: Store, run: Run): Promise<void> {
  try {
    await insert(store, run);
  } catch (error) {
    // Two processes may both have found the conversation free: the database lets one of them in.
    if (error instanceof DuplicateKeyError && (error.constraint === "runs_one_active_per_thread" || error.constraint === "runs.parent_id")) throw locked(run.thread_id);
    throw error;
  }
}

/**
 * Records a response and queues the run that executes it: its input items are added to its thread
 * first (a conversation's, the previous response's, or its own), so every process reads the same state.
 */
export async function createResponse(dependencies: Pick<AppDependencies, "store" | "config" | "runQueue" | "blobs">, responseId: string, asked: CreateResponseRequest): Promise<ResponseState> {
  const { store, config } = dependencies;
  const request = await withAssistantPrompt(store, asked);
  const model = request.model;
  if (!model) throw new InvalidRequestError("Missing required parameter: 'model'.", { param: "model", code: "missing_required_parameter" });
  const conversation = typeof request.conversation === "string" ? request.conversation : request.conversation?.id;
  if (conversation !== undefined && request.previous_response_id) {
    throw new InvalidRequestError("Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.", { param: "conversation" });
  }
  if (request.background && request.store === false) throw new InvalidRequestError("A background response must be stored: leave out 'store: false'.", { param: "store" });
  // What the model may be sent: its context window less the room its answer may take.
  const promptBudget = config.modelContextTokens - (request.max_output_tokens ?? 0);
  if (request.truncation !== "auto") {
    if (request.previous_response_id) await getPrevious(store, request.previous_response_id);
    await assertFitsContext(store, request, promptBudget);
  }
  const visible = async () => {
    if (conversation !== undefined) return conversationItems(store, (await getConversationThread(store, conversation)).id);
    return request.previous_response_id ? conversationItems(store, (await getPrevious(store, request.previous_response_id)).thread_id) : [];
  };
  return withInputItems(dependencies, { items: inputItemsOf(request.input), param: "input", visible }, async (input) => {
    for (const tool of request.tools ?? []) {
      if (tool.type !== "file_search") continue;
      for (const id of tool.vector_store_ids) if (!(await store.vectorStores.get(id))) throw NotFoundError.object("vector store", id);
    }
    await checkResponseContainer(store, request);
    const create = (insert: InsertRun) => store.transaction(async (transaction): Promise<ResponseState> => {
      const previous = request.previous_response_id ? await getPrevious(transaction, request.previous_response_id) : undefined;
      const thread = await responseThread(transaction, conversation, previous);
      if ((await transaction.runs.findAll({ parentId: thread.id, statuses: activeRunStatuses })).length > 0) throw locked(thread.id);
      await assertCallsAnswered(transaction, thread.id, previous, input);
      const inputItems = await appendItems(transaction, thread.id, input);
      const containerId = await responseContainer({ store: transaction, blobs: dependencies.blobs }, request, thread.id);
      const record = { ...buildResponseRecord(responseId, thread, { ...request, model }, inputItems), container_id: containerId };
      const run = buildResponseRun(record, config.runExpirySeconds, promptBudget);
      await insertRun(insert, transaction, run);
      await transaction.responses.insert(record);
      return { record, run, output: [], usage: null };
    });
    return dispatchNewRun(dependencies.runQueue, (insert) =>
      create(insert).catch((error: unknown) => {
        // Two responses raced to continue one response on its thread: the second one continues on a copy.
        const raced = error instanceof InvalidRequestError && error.code === "conversation_locked" && conversation === undefined && request.previous_response_id;
        if (!raced) throw error;
        return create(insert);
      }),
    );
  });
}

/** The current state of a response this request created (stored or not). */
export function createdState(store: Store, record: ResponseRecord, include: Included): () => Promise<ResponseState> {
  return () => stateOf(store, record, include);
}

/** Waits (on a subscription made before the response was created) until its run has ended. */
export async function settled(subscription: RunSubscription, current: () => Promise<ResponseState>): Promise<ResponseState> {
  try {
    for await (const message of subscription) {
      if (message.kind === "run" && message.event.type === "run.updated" && terminalRunStatuses.includes(message.event.run.status)) break;
    }
  } finally {
    subscription.close();
  }
  return current();
}

/** Only background responses can be cancelled, as hosted; the answer waits a moment for the executor to stop. */
export async function cancelResponse(dependencies: AppDependencies, responseId: string): Promise<ResponseState> {
  const { store, bus } = dependencies;
  const record = await getRecord(store, responseId);
  if (!record.background) throw new InvalidRequestError("Only responses created with background: true can be cancelled.");
  const current = await getResponseState(store, responseId);
  if (current.run.status === "cancelled") return current;
  if (terminalRunStatuses.includes(current.run.status)) throw new InvalidRequestError(`Cannot cancel a response with status '${current.run.status}'.`);
  await cancelRun(dependencies, record.thread_id, responseId);
  await waitForRunChange(bus, responseId, () => getRun(store, record.thread_id, responseId), cancelWaitMs);
  return getResponseState(store, responseId);
}

/** Its items stay in its thread (and conversation); only the response itself is gone. */
export async function deleteResponse(store: Store, responseId: string) {
  await getRecord(store, responseId);
  await store.responses.delete(responseId);
  return { id: responseId, object: "response" as const, deleted: true };
}

export async function listInputItems(store: Store, responseId: string, query: Pick<ListQuery, "limit" | "order" | "after">): Promise<ListPage<ConversationItem>> {
  const items = [...(await getRecord(store, responseId)).input_items];
  if (query.order === "desc") items.reverse();
  let start = 0;
  if (query.after !== undefined) {
    start = items.findIndex((item) => item.id === query.after) + 1;
    if (start === 0) throw new InvalidCursorError("after", query.after);
  }
  return { data: items.slice(start, start + query.limit), hasMore: items.length > start + query.limit };
}
