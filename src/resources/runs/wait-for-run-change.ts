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
  runId: string,
  load: () => Promise<Run>,
  timeoutMs: number,
): Promise<Run> {
  // Subscribed (and ready for other processes' events) before reading, so a change between the read and
  // the wait is not missed.
  const subscription = bus.subscribe(runId);
  const timer = setTimeout(() => subscription.close(), timeoutMs);
  try {
    await bus.flush(runId);
    const current = await load();
    if (!busyStatuses.has(current.status)) return current;
    for await (const message of subscription) {
      if (message.kind !== "run" || message.event.type !== "run.updated") continue;
      // Run events carry the run as written, so the settled run needs no second read.
      if (!busyStatuses.has(message.event.run.status)) return message.event.run;
    }
    return await load();
  } finally {
    clearTimeout(timer);
    subscription.close();
  }
}
