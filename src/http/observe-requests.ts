import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { HttpMetrics } from "../observability/metrics.js";
import { SpanKind, type Tracing } from "../observability/tracing.js";

/** The route template that answered (`/v1/threads/:thread_id`), never the raw path: ids would make a series per object. */
function routeOf(context: Context): string {
  const route = routePath(context);
  // Only the catch-all middleware saw it: the UI's files, or no route at all.
  if (route === "*" || route === "/*") return context.res.status === 404 ? "unmatched" : "ui";
  return route;
}

/** Counts a stream as open until its body ends or the client goes away. */
function countedStream(body: ReadableStream<Uint8Array>, metrics: Pick<HttpMetrics, "streamOpened" | "streamClosed">): ReadableStream<Uint8Array> {
  metrics.streamOpened();
  let open = true;
  const close = () => {
    if (open) metrics.streamClosed();
    open = false;
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (!next.done) return controller.enqueue(next.value);
        close();
        controller.close();
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel(reason) {
      close();
      return reader.cancel(reason);
    },
  });
}

/**
 * A server span per request (continuing an incoming `traceparent`), so every span and log line of the
 * request's work belongs to it; and the request counted by route template, method and status.
 */
export function observeRequests(telemetry: { metrics: HttpMetrics; tracing: Tracing }): MiddlewareHandler {
  const { metrics, tracing } = telemetry;
  return (context, next) => {
    const method = context.req.method;
    const start = { kind: SpanKind.SERVER, parent: context.req.header("traceparent") ?? "root", attributes: { "http.request.method": method, "url.path": context.req.path } };
    return tracing.inSpan(method, start, async (span) => {
      const started = performance.now();
      await next();
      const route = routeOf(context);
      const status = context.res.status;
      metrics.request(route, method, status, performance.now() - started);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ "http.route": route, "http.response.status_code": status });
      if (status >= 500) span.setAttribute("error.type", String(status));
      const body = context.res.body;
      if (body && context.res.headers.get("content-type")?.startsWith("text/event-stream")) {
        context.res = new Response(countedStream(body, metrics), context.res);
      }
    });
  };
}
