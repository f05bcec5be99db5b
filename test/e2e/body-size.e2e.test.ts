import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSpool, type SpawnedSpool } from "../../src/testing/spawn-spool.js";

const MiB = 1024 * 1024;
let spool: SpawnedSpool;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-body-size-"));
  // Its own process, so its memory is measured apart from the test's.
  spool = await spawnSpool({ SPOOL_DATA_DIR: dataDir, SPOOL_UPSTREAM_URL: "http://127.0.0.1:9/v1", SPOOL_MAX_JSON_BODY_BYTES: String(MiB), SPOOL_LOG_LEVEL: "warn" });
});

afterAll(async () => {
  spool?.process.kill("SIGTERM");
  await spool?.exited;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Resident and peak resident memory of the server process, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/**
 * POSTs a body of `totalBytes` to /v1/threads, generated as it is sent (the test holds one 64 KiB chunk),
 * until the server answers; resolves with the answer. `declared` sends a content-length instead of chunks.
 * A keep-alive connection, as the SDKs use: with `Connection: close` the server must close right after its
 * answer, and a client still sending can then get a reset before it reads the answer (plain HTTP/1.1).
 */
function sendHuge(totalBytes: number, declared: boolean): Promise<{ status: number; body: string }> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const request = http.request(`${spool.url}/v1/threads`, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", ...(declared ? { "content-length": String(totalBytes) } : { "transfer-encoding": "chunked" }) },
    });
    let sentBytes = 0;
    let answered = false;
    const pump = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    request.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => {
        agent.destroy();
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    // Writes after the server closed the connection fail; only a missing answer is a failure.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    pump();
  });
}

describe("JSON bodies over the limit", () => {
  it("answers each of many huge bodies sent at once with 413, without taking them into memory", async () => {
    const before = memoryOf(spool.process.pid ?? 0);
    // Under the 64 MiB the HTTP adapter discards after an answer before it closes the connection.
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, () => sendHuge(48 * MiB, false)),
      ...Array.from({ length: 4 }, () => sendHuge(48 * MiB, true)),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: "invalid_request_error", code: "request_too_large", param: null } });
    }
    const after = memoryOf(spool.process.pid ?? 0);
    // 480 MiB were offered; the server's peak grew by no more than a few bodies' worth of the 1 MiB limit.
    expect(after.peak - Math.max(before.peak, before.rss)).toBeLessThan(64 * MiB);
    // And it still serves.
    const small = await fetch(`${spool.url}/v1/threads`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(small.status).toBe(200);
  });
});
