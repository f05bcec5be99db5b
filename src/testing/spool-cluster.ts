import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { spawnSpool, type SpawnedSpool } from "./spawn-spool.js";

export interface SpoolCluster {
  /** The live process at each position (a restart replaces it). */
  members: SpawnedSpool[];
  /** An official SDK client for the process at `index`. */
  client(index: number): OpenAI;
  /** Sends `signal` to the process at `index` and waits for it to exit. */
  stop(index: number, signal: NodeJS.Signals): Promise<void>;
  /** Starts a new process at `index` (after `stop`), on the same database and data dir. */
  start(index: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Several Spool processes on one Postgres database, each with its own data dir (nothing shared on disk),
 * as a deployment with replicas would run them.
 */
export async function startSpoolCluster(options: {
  size: number;
  databaseUrl: string;
  upstreamUrl: string;
  env?: Record<string, string>;
  from?: "source" | "build";
}): Promise<SpoolCluster> {
  const dataDirs = Array.from({ length: options.size }, () => fs.mkdtempSync(path.join(os.tmpdir(), "spool-cluster-")));
  const launch = (index: number) =>
    spawnSpool(
      { SPOOL_DATABASE_URL: options.databaseUrl, SPOOL_UPSTREAM_URL: options.upstreamUrl, SPOOL_DATA_DIR: dataDirs[index]!, SPOOL_UPSTREAM_RETRY_BASE_MS: "10", ...options.env },
      { from: options.from ?? "source" },
    );
  const members = await Promise.all(dataDirs.map((_, index) => launch(index)));
  const stop = async (index: number, signal: NodeJS.Signals) => {
    const member = members[index]!;
    if (member.process.exitCode === null && member.process.signalCode === null) member.process.kill(signal);
    await member.exited;
  };
  return {
    members,
    client: (index) => new OpenAI({ baseURL: `${members[index]!.url}/v1`, apiKey: "unused", maxRetries: 0 }),
    stop,
    async start(index) {
      members[index] = await launch(index);
    },
    async close() {
      await Promise.all(members.map((_, index) => stop(index, "SIGTERM")));
      for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
