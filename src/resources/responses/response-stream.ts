import type { Context } from "hono";
import { stream } from "hono/streaming";
import type { RunSubscription } from "../../events/run-event-bus.js";
import { heartbeatMs, setEventStreamHeaders } from "../../http/sse-response.js";
import type { ResponseEvent, ResponseEventTranslator } from "./response-events.js";

/**
 * Relays a response's events as Server-Sent Events, numbered from 0 in the order they are sent, until
 * the response ends. A client that goes away only closes its subscription: the response goes on.
 */
export function streamResponseEvents(context: Context, subscription: RunSubscription, translator: ResponseEventTranslator, opening: ResponseEvent[]): Response {
  setEventStreamHeaders(context);
  return stream(context, async (output) => {
    output.onAbort(() => subscription.close());
    const heartbeat = setInterval(() => void output.write(": keep-alive\n\n").catch(() => subscription.close()), heartbeatMs);
    let sequence = 0;
    const send = async (events: ResponseEvent[]) => {
      for (const event of events) await output.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`);
    };
    try {
      await send(opening);
      for await (const message of subscription) {
        if (message.kind !== "stream") continue;
        await send(await translator.translate(message.event));
        if (translator.end) break;
      }
    } catch (error) {
      if (!output.aborted) await send([{ type: "error", code: "server_error", message: `The server failed while streaming this response: ${String(error)}`, param: null }]);
    } finally {
      clearInterval(heartbeat);
      subscription.close();
    }
  });
}
