import type { Context } from "hono";
import { stream } from "hono/streaming";
import type { RunBusMessage, RunSubscription } from "../../events/run-event-bus.js";
import { heartbeatMs, setEventStreamHeaders } from "../../http/sse-response.js";
import type { ResponseEvent, ResponseEventTranslator } from "./response-events.js";

/** Where a response stream's run messages come from: the subscription itself, or the run's event log (woken by it). */
export interface ResponseMessages {
  subscription: RunSubscription;
  batches: AsyncIterable<RunBusMessage[]>;
}

/** The messages as the subscription delivers them (a stream that is never read again). */
export async function* delivered(subscription: RunSubscription): AsyncGenerator<RunBusMessage[]> {
  for await (const message of subscription) yield [message];
}

/**
 * Relays a response's events as Server-Sent Events, numbered from 0 in the order they are rendered,
 * until the response ends; events numbered `startingAfter` or lower are rendered but not sent (a stream
 * read again from the event log renders the same events under the same numbers). A client that goes
 * away only closes its subscription: the response goes on.
 */
export function streamResponseEvents(context: Context, messages: ResponseMessages, translator: ResponseEventTranslator, opening: ResponseEvent[], startingAfter = -1): Response {
  const { subscription } = messages;
  setEventStreamHeaders(context);
  return stream(context, async (output) => {
    output.onAbort(() => subscription.close());
    const heartbeat = setInterval(() => void output.write(": keep-alive\n\n").catch(() => subscription.close()), heartbeatMs);
    let sequence = 0;
    const send = async (events: ResponseEvent[]) => {
      for (const event of events) {
        const number = sequence++;
        if (number > startingAfter) await output.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: number })}\n\n`);
      }
    };
    try {
      await send(opening);
      batches: for await (const batch of messages.batches) {
        for (const message of batch) {
          if (message.kind !== "run") continue;
          await send(await translator.translate(message.event));
          if (translator.end) break batches;
        }
      }
    } catch (error) {
      if (!output.aborted) await send([{ type: "error", code: "server_error", message: `The server failed while streaming this response: ${String(error)}`, param: null }]);
    } finally {
      clearInterval(heartbeat);
      subscription.close();
    }
  });
}
