import net from "node:net";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { toErrorBody } from "../errors/api-error.js";
import { BodyBudget, withBodyBudget } from "./json-body.js";
import { readJsonBody } from "./validation.js";

const schema = z.object({ model: z.string() });
let server: ServerType | undefined;

afterEach(() => server?.close());

/**
 * readJsonBody under @hono/node-server, which hands the Node request over in `context.env.incoming`. `send`
 * writes the request; `requestArrived` settles once the server has parsed its headers.
 */
async function bodyReadUnderNode(send: (socket: net.Socket, requestArrived: Promise<void>) => void, budget = new BodyBudget(1024, 4096)): Promise<unknown> {
  const outcome = new Promise<unknown>((resolve) => {
    const app = new Hono().use(withBodyBudget(budget)).post("/", async (context) => {
      const read = await readJsonBody(context, schema).catch((error: unknown) => error);
      resolve(read);
      const { status, body } = toErrorBody(read);
      return read instanceof Error ? context.json(body, status as 400) : context.json({});
    });
    server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  });
  await new Promise<void>((resolve) => server?.once("listening", resolve));
  const requestArrived = new Promise<void>((resolve) => server?.once("request", () => resolve()));
  const socket = net.connect((server?.address() as AddressInfo).port, "127.0.0.1");
  socket.on("error", () => undefined);
  send(socket, requestArrived);
  return outcome;
}

describe("readJsonBody under Node", () => {
  it("reads and validates the body straight from the request", async () => {
    const body = JSON.stringify({ model: "gpt-4o" });
    const read = await bodyReadUnderNode((socket) => socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    expect(read).toEqual({ model: "gpt-4o" });
  });

  it("gives up with a 400 when the client hangs up halfway through the body", async () => {
    const read = await bodyReadUnderNode((socket, requestArrived) => {
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`);
      // Hung up only once the server reads the request, so it is the body that breaks off, not the connection.
      void requestArrived.then(() => socket.destroy());
    });
    expect(toErrorBody(read).status).toBe(400);
  });

  it("refuses a chunked body at the first chunk past the limit and gives its bytes back", async () => {
    const budget = new BodyBudget(1024, 4096);
    const chunk = "x".repeat(600);
    const read = await bodyReadUnderNode((socket) => {
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      // Two chunks cross the limit; the rest of this "endless" body is never sent.
      socket.write(`258\r\n${chunk}\r\n258\r\n${chunk}\r\n`);
    }, budget);
    expect(toErrorBody(read)).toMatchObject({ status: 413, body: { error: { code: "request_too_large" } } });
    expect(budget.reservedBytes).toBe(0);
  });
});

describe("BodyBudget", () => {
  it("lets a lone request through and refuses what would pass the budget until bytes come back", () => {
    const budget = new BodyBudget(100, 150);
    expect(budget.tryReserve(200)).toBe(true);
    expect(budget.tryReserve(1)).toBe(false);
    budget.release(200);
    expect(budget.tryReserve(100)).toBe(true);
    expect(budget.tryReserve(50)).toBe(true);
    expect(budget.tryReserve(1)).toBe(false);
  });
});
