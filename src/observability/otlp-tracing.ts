import { context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { Tracing } from "./tracing.js";

export interface OtlpTracingOptions {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`, as OTLP JSON. */
  endpoint: string;
  serviceName: string;
  /** Tells this process's spans apart from the others' on one database. */
  instanceId: string;
  captureContent: boolean;
}

/**
 * The OpenTelemetry SDK, started only when an endpoint is configured (this module is loaded on demand).
 * The tracer is this server's own, not the global one, so servers in one process (tests) stay apart; the
 * context manager is global, as context must follow every `await` of the process.
 */
export function startOtlpTracing(options: OtlpTracingOptions): Tracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, "service.instance.id": options.instanceId }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` }), scheduledDelayMillis: 1000 })],
  });
  const tracer = provider.getTracer("spool");
  const propagator = new W3CTraceContextPropagator();

  return {
    captureContent: options.captureContent,
    inSpan(name, start, work) {
      const parent =
        start.parent === undefined
          ? context.active()
          : start.parent === "root"
            ? ROOT_CONTEXT
            : propagator.extract(ROOT_CONTEXT, { traceparent: start.parent }, defaultTextMapGetter);
      return tracer.startActiveSpan(name, { ...(start.kind !== undefined ? { kind: start.kind } : {}), ...(start.attributes ? { attributes: start.attributes } : {}) }, parent, async (span) => {
        try {
          return await work(span);
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          span.recordException(failure);
          span.setAttribute("error.type", failure.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
          throw error;
        } finally {
          span.end();
        }
      });
    },
    activeTraceparent() {
      const carrier: Record<string, string> = {};
      propagator.inject(context.active(), carrier, defaultTextMapSetter);
      return carrier.traceparent;
    },
    logFields() {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { traceId, spanId };
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
