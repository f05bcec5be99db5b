import { INVALID_SPAN_CONTEXT, SpanKind, trace, type Attributes, type Span } from "@opentelemetry/api";

export { SpanKind, type Attributes, type Span };

export interface SpanStart {
  kind?: SpanKind;
  attributes?: Attributes;
  /**
   * Where the span belongs: a W3C `traceparent` (an incoming request's header, or one stored with a run
   * that another request created), `"root"` for a new trace, or unset for the span active here.
   */
  parent?: string | "root";
}

/**
 * OpenTelemetry tracing as the server uses it. Without an OTLP endpoint it is `noTracing`: no SDK is
 * loaded, no span is made, `inSpan` just calls `work` (see `otlp-tracing.ts` for the real one).
 */
export interface Tracing {
  /** Message content (prompts, answers, code) may go into spans; off unless `SPOOL_TRACE_CONTENT` is set. */
  readonly captureContent: boolean;
  /** Runs `work` inside a new span; a throw marks the span failed and passes on. The span ends when `work` settles. */
  inSpan<T>(name: string, start: SpanStart, work: (span: Span) => Promise<T>): Promise<T>;
  /** The active span as a `traceparent`, to store with work that may run later or in another process. */
  activeTraceparent(): string | undefined;
  /** `traceId`/`spanId` of the active span, for log lines. */
  logFields(): { traceId?: string; spanId?: string };
  /** Sends the spans that ended so far. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** A span that records nothing; every method is a no-op. */
const nonRecording = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const noTracing: Tracing = {
  captureContent: false,
  inSpan: (_name, _start, work) => work(nonRecording),
  activeTraceparent: () => undefined,
  logFields: () => ({}),
  flush: async () => undefined,
  shutdown: async () => undefined,
};
