import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createInMemoryRunEventBus } from "../events/in-memory-run-event-bus.js";
import { createLogger } from "../logging/logger.js";
import { openSqliteStore } from "../storage/sql/sqlite-store.js";
import { streamRunEvents } from "./sse-response.js";

describe("streamRunEvents", () => {
  it("ends a stream with an error event, with the error nested and flat, then done", async () => {
    const store = await openSqliteStore(":memory:");
    const bus = createInMemoryRunEventBus({ store, logger: createLogger("silent") });
    const app = new Hono().get("/stream", (context) => streamRunEvents(context, bus.subscribe("run_1"), "v2"));
    const response = await app.request("/stream");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    // The stream has begun: the events arrive while it is open, as a run's do.
    const body = { message: "boom", type: "server_error", param: null, code: "server_error" };
    bus.publish(store, "run_1", { kind: "run", event: { type: "error", error: body } });
    bus.publish(store, "run_1", { kind: "cancel-requested" });
    const text = await response.text();
    const [errorFrame, doneFrame] = text.trim().split("\n\n");
    expect(errorFrame?.split("\n")[0]).toBe("event: error");
    expect(JSON.parse(errorFrame!.split("\n")[1]!.slice("data: ".length))).toMatchObject({ error: { message: "boom" }, message: "boom" });
    expect(doneFrame).toBe("event: done\ndata: [DONE]");
  });
});
