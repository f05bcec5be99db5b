import http from "node:http";

/**
 * A JSON request over node:http with keep-alive: the benchmark shares the machine's cores with the server,
 * and the SDK's (or even fetch's) own CPU would otherwise be part of what is measured.
 */
export function requestJson<T>(agent: http.Agent, url: string, method: "GET" | "POST", headers: Record<string, string>, body?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as T));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}
