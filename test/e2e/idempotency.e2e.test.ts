import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { throwawayPostgresForFile } from "../../src/testing/postgres-for-file.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../../src/testing/scripted-upstream.js";
import { spawnSpool, type SpawnedSpool } from "../../src/testing/spawn-spool.js";
import { startSpool } from "../../src/testing/start-spool.js";
import { startSpoolCluster } from "../../src/testing/spool-cluster.js";

const postgres = throwawayPostgresForFile();
let upstream: ScriptedUpstream;
const dataDirs: string[] = [];
const running: SpawnedSpool[] = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
});

afterAll(async () => {
  for (const server of running) if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill("SIGTERM");
  await Promise.all(running.map((server) => server.exited));
  await upstream?.close();
  for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-idempotency-"));
  dataDirs.push(dataDir);
  return dataDir;
}

async function spawn(env: Record<string, string>): Promise<SpawnedSpool> {
  const server = await spawnSpool({ SPOOL_UPSTREAM_URL: upstream.url, ...env });
  running.push(server);
  return server;
}

async function kill(server: SpawnedSpool): Promise<void> {
  server.process.kill("SIGKILL");
  await server.exited;
}

const clientFor = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-test", maxRetries: 0 });

async function assistantAndThread(client: OpenAI) {
  const assistant = await client.beta.assistants.create({ model: "gpt-4o" });
  const thread = await client.beta.threads.create({ messages: [{ role: "user", content: "hi" }] });
  return { assistantId: assistant.id, threadId: thread.id };
}

/** Sends a request on a bare socket and never reads from it: the client that lost its answer. */
function sendWithoutReading(url: string, requestPath: string, key: string, body: unknown): net.Socket {
  const { hostname, port } = new URL(url);
  const text = JSON.stringify(body);
  const socket = net.connect(Number(port), hostname);
  socket.on("error", () => undefined);
  socket.write(
    `POST ${requestPath} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer sk-test\r\ncontent-type: application/json\r\n` +
      `idempotency-key: ${key}\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  socket.pause();
  return socket;
}

describe("Idempotency-Key against real processes", () => {
  it("gives the SDK's repeated upload (a new multipart boundary each time) the first File, and stores one", async () => {
    const server = await startSpool({ upstreamUrl: upstream.url });
    try {
      const client = server.client();
      const options = { headers: { "Idempotency-Key": "upload-1" } };
      const upload = async () => client.files.create({ file: await toFile(Buffer.from("the same notes"), "notes.txt"), purpose: "assistants" }, options).withResponse();
      const first = await upload();
      const retry = await upload();
      expect(retry.data).toEqual(first.data);
      expect(retry.response.headers.get("idempotent-replayed")).toBe("true");
      expect((await client.files.list()).data.map((file) => file.id)).toEqual([first.data.id]);
      const other = client.files.create({ file: await toFile(Buffer.from("other notes"), "notes.txt"), purpose: "assistants" }, options);
      await expect(other).rejects.toMatchObject({ status: 400, code: "idempotency_key_reused" });
    } finally {
      await server.close();
    }
  });

  it("replays a stored answer after the server was killed before the client read it: one run", async () => {
    const env = { SPOOL_DATA_DIR: newDataDir() };
    const first = await spawn(env);
    const { assistantId, threadId } = await assistantAndThread(clientFor(first.url));
    const key = "retry-after-kill-1";
    const socket = sendWithoutReading(first.url, `/v1/threads/${threadId}/runs`, key, { assistant_id: assistantId });
    // The request line is logged once the answer is ready to go out, which is after it was stored.
    await expect.poll(() => first.output().includes(`"path":"/v1/threads/${threadId}/runs","status":200`)).toBe(true);
    await kill(first);
    socket.destroy();

    const second = await spawn(env);
    const client = clientFor(second.url);
    const { data: run, response } = await client.beta.threads.runs.create(threadId, { assistant_id: assistantId }, { headers: { "Idempotency-Key": key } }).withResponse();
    expect(response.headers.get("idempotent-replayed")).toBe("true");
    // The first answer as it was (a queued run), not the run as it is now.
    expect(run.status).toBe("queued");
    const runs = await client.beta.threads.runs.list(threadId);
    expect(runs.data.map((listed) => listed.id)).toEqual([run.id]);
  });

  it("reads the run back after the server was killed between its commit and storing its answer: one run", async () => {
    const databaseUrl = await postgres.freshDatabase("idempotency_crash");
    // A one-second lease: the dead holder's key is known to be abandoned a second after its last renewal.
    const env = { SPOOL_DATABASE_URL: databaseUrl, SPOOL_DATA_DIR: newDataDir(), SPOOL_RUN_LEASE_SECONDS: "1" };
    const first = await spawn(env);
    const { assistantId, threadId } = await assistantAndThread(clientFor(first.url));
    const database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();
    try {
      // Storing an answer waits for a lock this test holds: the server stops right after the run commits.
      await database.query(`create function hold_answers() returns trigger language plpgsql as $$ begin perform pg_advisory_xact_lock(4242); return new; end $$`);
      await database.query(`create trigger hold_answers before update on idempotency_keys for each row when (new.response_status is not null) execute function hold_answers()`);
      await database.query("select pg_advisory_lock(4242)");
      const key = "retry-after-kill-2";
      const socket = sendWithoutReading(first.url, `/v1/threads/${threadId}/runs`, key, { assistant_id: assistantId });
      await expect
        .poll(async () => (await database.query("select took_effect, response_status from idempotency_keys")).rows)
        .toEqual([{ took_effect: 1, response_status: null }]);
      expect((await database.query("select count(*)::int as runs from runs where parent_id = $1", [threadId])).rows).toEqual([{ runs: 1 }]);
      await kill(first);
      socket.destroy();
      // Postgres notices a dead client only when it next talks to it; end its sessions, as it eventually would.
      await database.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      await database.query("drop trigger hold_answers on idempotency_keys");
      await database.query("select pg_advisory_unlock(4242)");
      expect((await database.query("select response_status from idempotency_keys")).rows).toEqual([{ response_status: null }]);

      const second = await spawn(env);
      const client = clientFor(second.url);
      const { data: run, response } = await client.beta.threads.runs
        .create(threadId, { assistant_id: assistantId }, { headers: { "Idempotency-Key": key } })
        .withResponse();
      expect(response.status).toBe(200);
      expect(response.headers.get("idempotent-replayed")).toBe("true");
      const runs = await client.beta.threads.runs.list(threadId);
      expect(runs.data.map((listed) => listed.id)).toEqual([run.id]);
    } finally {
      await database.end();
    }
  });

  it("has ten concurrent duplicates through two processes on one Postgres start one run", async () => {
    const cluster = await startSpoolCluster({ size: 2, databaseUrl: await postgres.freshDatabase("idempotency_cluster"), upstreamUrl: upstream.url });
    try {
      const { assistantId, threadId } = await assistantAndThread(cluster.client(0));
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          cluster.client(index % 2).beta.threads.runs.create(threadId, { assistant_id: assistantId }, { headers: { "Idempotency-Key": "burst" } }),
        ),
      );
      expect(new Set(answers.map((run) => run.id)).size).toBe(1);
      const runs = await cluster.client(1).beta.threads.runs.list(threadId);
      expect(runs.data.map((run) => run.id)).toEqual([answers[0]!.id]);
    } finally {
      await cluster.close();
    }
  });
});
