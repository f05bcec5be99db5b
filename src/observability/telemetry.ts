import type { Metrics } from "./metrics.js";
import { noTracing, type Tracing } from "./tracing.js";

/** Metrics and traces of one server process, built by the composition root. */
export interface Telemetry {
  metrics: Metrics;
  tracing: Tracing;
}

export interface TracingSettings {
  otelEndpoint?: string | undefined;
  otelServiceName: string;
  traceContent: boolean;
}

/** The OTLP exporter when an endpoint is set; otherwise `noTracing`, and the SDK is never loaded. */
export async function startTracing(settings: TracingSettings, instanceId: string): Promise<Tracing> {
  if (!settings.otelEndpoint) return noTracing;
  const { startOtlpTracing } = await import("./otlp-tracing.js");
  return startOtlpTracing({ endpoint: settings.otelEndpoint, serviceName: settings.otelServiceName, instanceId, captureContent: settings.traceContent });
}
