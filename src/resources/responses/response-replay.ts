import type { Context } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { fileNames, type Included } from "../../engine/responses/conversation-items.js";
import { terminalRunStatuses } from "../../engine/run-machine.js";
import { replayRunMessages } from "../../events/run-event-replay.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import { ResponseEventTranslator } from "./response-events.js";
import { streamResponseEvents } from "./response-stream.js";
import { createdState, getRecord, getResponseState } from "./responses.service.js";

/**
 * `GET /responses/{id}?stream=true&starting_after=N`: a background response's stream again, rendered from
 * its run's event log (which every process shares) exactly as it was the first time, so every event keeps
 * its `sequence_number`; events after N are sent, and then the live ones until the response settles.
 * As hosted, only background responses can be streamed again.
 */
export async function streamStoredResponse(context: Context, dependencies: AppDependencies, responseId: string, include: Included, startingAfter: number): Promise<Response> {
  const { store, bus } = dependencies;
  const record = await getRecord(store, responseId);
  if (!record.background) throw new InvalidRequestError("This response cannot be streamed because it was not created with background=true.", { param: "stream" });
  // Subscribed before the log is read: whatever is appended after the read wakes the stream.
  const subscription = bus.subscribe(responseId);
  try {
    await bus.flush(responseId);
    const state = await getResponseState(store, responseId, include);
    const settled = terminalRunStatuses.includes(state.run.status);
    const [first] = await store.runEvents.readAfter(responseId, 0, 1);
    if (first ? first.seq !== 1 : settled) {
      throw new InvalidRequestError(`The events of response '${responseId}' are no longer kept (they are kept for an hour); retrieve it without stream=true.`, { param: "stream" });
    }
    const translator = new ResponseEventTranslator(fileNames(store), createdState(store, record, include), include);
    const batches = replayRunMessages(store, bus, responseId, subscription, !settled);
    return streamResponseEvents(context, { subscription, batches }, translator, translator.opening(state), startingAfter);
  } catch (error) {
    subscription.close();
    throw error;
  }
}
