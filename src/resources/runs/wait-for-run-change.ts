import type { RunEventBus } from "../../events/run-event-bus.js";
import type { Run } from "../../domain/objects.js";

const busyStatuses: ReadonlySet<Run["status"]> = new Set(["queued", "in_progress", "cancelling"]);

/**
 * Long polling for the SDKs' poll helpers (`createAndPoll`, `poll`, which send `X-Stainless-Poll-Helper`
 * and keep polling while a run is queued, in progress or cancelling): instead of answering "still busy" at
 * once, hold the request until the run leaves those statuses or `timeoutMs` passes. The client sees the
 * outcome the moment it happens, with one request instead of many.
 */
export async function waitForRunChange(
  bus: RunEventBus,
  run: Run,
  reload: () => Promise<Run>,
  timeoutMs: number,
): Promise<Run> {
  if (!busyStatuses.has(run.status)) return run;
  const subscription = bus.subscribe(run.id);
  const timer = setTimeout(() => subscription.close(), timeoutMs);
  try {
    // The status may have changed between the first read and the subscription.
    const current = await reload();
    if (!busyStatuses.has(current.status)) return current;
    for await (const message of subscription) {
      if (message.kind !== "stream") continue;
      const { event } = message;
      if (event.event.startsWith("thread.run.") && "status" in event.data && event.data.object === "thread.run" && !busyStatuses.has(event.data.status)) break;
    }
    return await reload();
  } finally {
    clearTimeout(timer);
    subscription.close();
  }
}
