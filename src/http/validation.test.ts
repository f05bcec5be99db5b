import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import type { Context } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidRequestError } from "../errors/api-error.js";
import { readJsonBody } from "./validation.js";

const schema = z.object({ model: z.string() });
let server: http.Server | undefined;

afterEach(() => server?.close());

/** readJsonBody under a real Node request, as @hono/node-server hands it over in `context.env.incoming`. */
async function bodyReadUnderNode(send: (socket: net.Socket) => void): Promise<unknown> {
  const outcome = new Promise<unknown>((resolve) => {
    server = http.createServer((incoming, outgoing) => {
      const context = { env: { incoming } } as unknown as Context;
      readJsonBody(context, schema).then(resolve, resolve);
      outgoing.on("error", () => undefined);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const socket = net.connect((server?.address() as AddressInfo).port, "127.0.0.1");
  socket.on("error", () => undefined);
  send(socket);
  return outcome;
}

describe("readJsonBody under Node", () => {
  it("reads and validates the body straight from the request", async () => {
    const body = JSON.stringify({ model: "gpt-4o" });
    const read = await bodyReadUnderNode((socket) => socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expect(read).toEqual({ model: "gpt-4o" });
  });

  it("gives up with a 400 when the client hangs up halfway through the body", async () => {
    const read = await bodyReadUnderNode((socket) => {
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`);
      setTimeout(() => socket.destroy(), 50);
    });
    expect(read).toBeInstanceOf(InvalidRequestError);
  });
});
