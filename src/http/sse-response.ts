import type { Context } from "hono";
import { stream } from "hono/streaming";
import type { RunSubscription } from "../events/run-event-bus.js";
import type { ApiVersion } from "./api-version.js";
import { viewStreamEvent } from "../resources/wire-views.js";
import { assistantEvents } from "../streaming/assistant-events.js";
import { streamEndingEvents, type StreamEvent } from "../streaming/stream-events.js";

/** Comment lines keep idle streams open through proxies that cut silent connections. */
export const heartbeatMs = 15_000;

export function formatSseEvent(event: StreamEvent, version: ApiVersion): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(viewStreamEvent(event, version))}\n\n`;
}

/** The headers of every event stream; proxies (nginx) must not buffer it. */
export function setEventStreamHeaders(context: Context): void {
  context.header("content-type", "text/event-stream; charset=utf-8");
  context.header("cache-control", "no-cache");
  context.header("x-accel-buffering", "no");
}

/**
 * Relays a run's events as the Assistants API's Server-Sent Events until the run stops or waits for tool
 * outputs, then ends with `event: done` / `data: [DONE]`. A client that goes away only closes its
 * subscription: the run itself goes on in its executor.
 */
export function streamRunEvents(context: Context, subscription: RunSubscription, version: ApiVersion): Response {
  setEventStreamHeaders(context);
  return stream(context, async (output) => {
    output.onAbort(() => subscription.close());
    const heartbeat = setInterval(() => void output.write(": keep-alive\n\n").catch(() => subscription.close()), heartbeatMs);
    try {
      relay: for await (const message of subscription) {
        if (message.kind !== "run") continue;
        for (const event of assistantEvents(message.event)) {
          await output.write(formatSseEvent(event, version));
          if (streamEndingEvents.has(event.event)) break relay;
        }
      }
      if (!output.aborted) await output.write("event: done\ndata: [DONE]\n\n");
    } finally {
      clearInterval(heartbeat);
      subscription.close();
    }
  });
}
