import { Hono } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { newId } from "../../domain/ids.js";
import { fileNames } from "../../engine/responses/conversation-items.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { readJsonBody } from "../../http/validation.js";
import { readInclude } from "../conversations/conversations.routes.js";
import { countInputTokens } from "./input-tokens.js";
import { ResponseEventTranslator } from "./response-events.js";
import { streamResponseEvents } from "./response-stream.js";
import { viewResponse } from "./response-view.js";
import { createResponseSchema, inputTokensSchema } from "./responses.schema.js";
import { cancelResponse, createdState, createResponse, deleteResponse, getResponseState, listInputItems, settled } from "./responses.service.js";

export function responsesRoutes(dependencies: AppDependencies) {
  const { store, bus } = dependencies;
  return new Hono()
    .post("/input_tokens", async (context) => {
      const body = await readJsonBody(context, inputTokensSchema);
      return context.json({ object: "response.input_tokens" as const, input_tokens: await countInputTokens(store, body) });
    })
    .post("/", async (context) => {
      const body = await readJsonBody(context, createResponseSchema);
      const responseId = newId("response");
      if (body.background && !body.stream) return context.json(viewResponse(await createResponse(dependencies, responseId, body)));
      // Subscribed before anything is published: the stream (or the wait) misses nothing.
      const subscription = bus.subscribe(responseId);
      const created = await createResponse(dependencies, responseId, body).catch((error: unknown) => {
        subscription.close();
        throw error;
      });
      const results = body.include?.includes("file_search_call.results") === true;
      const current = createdState(store, created.record, results);
      if (!body.stream) return context.json(viewResponse(await settled(subscription, current)));
      const translator = new ResponseEventTranslator(fileNames(store), current, results);
      return streamResponseEvents(context, subscription, translator, translator.opening(created));
    })
    .get("/:response_id", async (context) => {
      const results = readInclude(context).includes("file_search_call.results");
      if (context.req.query("stream") === "true") {
        throw new InvalidRequestError("Streaming a response again (stream=true on retrieve) is not supported by this server yet.", { param: "stream" });
      }
      return context.json(viewResponse(await getResponseState(store, context.req.param("response_id"), results)));
    })
    .delete("/:response_id", async (context) => context.json(await deleteResponse(store, context.req.param("response_id"))))
    .post("/:response_id/cancel", async (context) => context.json(viewResponse(await cancelResponse(dependencies, context.req.param("response_id")))))
    .get("/:response_id/input_items", async (context) => {
      readInclude(context);
      const { limit, order, after } = readListQuery(context);
      const page = await listInputItems(store, context.req.param("response_id"), { limit, order, ...(after ? { after } : {}) });
      return context.json(listEnvelope(page));
    });
}
