import type OpenAI from "openai";
import { afterAll, beforeAll } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream, type ScriptedUpstreamOptions } from "./scripted-upstream.js";
import { startSpool, type StartedSpool } from "./start-spool.js";

export interface TestServer {
  upstream: ScriptedUpstream;
  spool: StartedSpool;
  /** The official SDK pointed at the server. */
  client: OpenAI;
}

/**
 * For a test file: a scripted upstream and a real Spool server using it, started before the file's tests
 * and stopped after them. The returned object is filled in by the time the tests run.
 */
export function useTestServer(options: { env?: Record<string, string>; upstream?: ScriptedUpstreamOptions; dataDir?: () => string } = {}): TestServer {
  const server = {} as TestServer;
  beforeAll(async () => {
    server.upstream = await startScriptedUpstream(options.upstream);
    server.spool = await startSpool({
      upstreamUrl: server.upstream.url,
      ...(options.env ? { env: options.env } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir() } : {}),
    });
    server.client = server.spool.client();
  });
  afterAll(async () => {
    await server.spool?.close();
    await server.upstream?.close();
  });
  return server;
}
