import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { startOtlpReceiver } from "../testing/otlp-receiver.js";
import { startOtlpTracing } from "./otlp-tracing.js";
import { noTracing } from "./tracing.js";

const receiver = await startOtlpReceiver();
afterAll(() => receiver.close());

describe("tracing", () => {
  it("puts the active span's trace and span ids into log lines, and a failure into the span", async () => {
    const tracing = startOtlpTracing({ endpoint: receiver.url, serviceName: "spool-test", instanceId: "test", captureContent: false });
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line), tracing.logFields);
    logger.info("outside");
    await expect(
      tracing.inSpan("outer", { parent: "root" }, () =>
        tracing.inSpan("inner", {}, async () => {
          await Promise.resolve();
          logger.info("inside");
          throw new RangeError("out of range");
        }),
      ),
    ).rejects.toThrow("out of range");
    await tracing.shutdown();

    const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).not.toHaveProperty("traceId");
    const inner = receiver.spans().find((span) => span.name === "inner")!;
    const outer = receiver.spans().find((span) => span.name === "outer")!;
    expect(inside).toMatchObject({ message: "inside", traceId: inner.traceId, spanId: inner.spanId });
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.attributes["error.type"]).toBe("RangeError");
  });

  it("continues a stored traceparent, and hands out the active one", async () => {
    const tracing = startOtlpTracing({ endpoint: receiver.url, serviceName: "spool-test", instanceId: "test", captureContent: false });
    const parent = `00-${"ab".repeat(16)}-${"cd".repeat(8)}-01`;
    const handedOut = await tracing.inSpan("continued", { parent }, async () => tracing.activeTraceparent());
    await tracing.shutdown();
    const span = receiver.spans().find((received) => received.name === "continued")!;
    expect(span).toMatchObject({ traceId: "ab".repeat(16), parentSpanId: "cd".repeat(8) });
    expect(handedOut).toBe(`00-${span.traceId}-${span.spanId}-01`);
  });

  it("without an endpoint does nothing but call the work", async () => {
    expect(await noTracing.inSpan("nothing", {}, async (span) => span.isRecording())).toBe(false);
    expect(noTracing.activeTraceparent()).toBeUndefined();
    expect(noTracing.logFields()).toEqual({});
  });
});
