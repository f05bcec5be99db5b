import OpenAIv7 from "openai-v7";
import { specRecorder } from "./spec-recorder.js";
import type { StartedSpool } from "./start-spool.js";

/** The official SDK (6.x) and the strict 7.x client on `spool`, both keeping its answers for the spec check. */
export function recordedClients(spool: StartedSpool) {
  const recorder = specRecorder(new URL(spool.url).origin);
  return {
    recorder,
    client: spool.client({ fetch: recorder.fetch }),
    strict: new OpenAIv7({ baseURL: `${spool.url}/v1`, apiKey: "test-key", maxRetries: 0, fetch: recorder.fetch }),
  };
}
