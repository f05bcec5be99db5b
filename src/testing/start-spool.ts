import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { loadConfig } from "../config/config.js";
import { startServer, type RunningServer } from "../server.js";

export interface StartedSpool {
  /** http://127.0.0.1:PORT (the API is under /v1). */
  url: string;
  dataDir: string;
  server: RunningServer;
  /** An official SDK client pointed at this server. */
  client(options?: ConstructorParameters<typeof OpenAI>[0]): OpenAI;
  close(): Promise<void>;
}

/** Starts a real Spool server on a free port with its own temporary data dir (removed on close). */
export async function startSpool(options: { upstreamUrl: string; env?: Record<string, string>; dataDir?: string }): Promise<StartedSpool> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "spool-test-"));
  const config = loadConfig({
    SPOOL_PORT: "0",
    SPOOL_DATA_DIR: dataDir,
    SPOOL_UPSTREAM_URL: options.upstreamUrl,
    SPOOL_LOG_LEVEL: "silent",
    SPOOL_UPSTREAM_RETRY_BASE_MS: "10",
    SPOOL_SHUTDOWN_TIMEOUT_MS: "1000",
    ...options.env,
  });
  const server = await startServer(config);
  return {
    url: server.url,
    dataDir,
    server,
    client: (clientOptions) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "test-key", maxRetries: 0, ...clientOptions }),
    async close() {
      await server.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
