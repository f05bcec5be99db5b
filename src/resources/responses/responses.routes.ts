import { Hono } from "hono";
import { z } from "zod";
import type { AppDependencies } from "../../app-dependencies.js";
import { newId } from "../../domain/ids.js";
import { fileNames, includedOf } from "../../engine/responses/conversation-items.js";
import { replayRunMessages } from "../../events/run-event-replay.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { parseWith, readJsonBody } from "../../http/validation.js";
import { readInclude } from "../conversations/conversations.routes.js";
import { countInputTokens } from "./input-tokens.js";
import { ResponseEventTranslator } from "./response-events.js";
import { streamStoredResponse } from "./response-replay.js";
import { delivered, streamResponseEvents } from "./response-stream.js";
import { viewResponse } from "./response-view.js";
import { createResponseSchema, inputTokensSchema } from "./responses.schema.js";
import { cancelResponse, createdState, createResponse, deleteResponse, getResponseState, listInputItems, settled } from "./responses.service.js";

/** `stream`, `starting_after` and `include_obfuscation` of a retrieve (Spool sends no obfuscation fields). */
const retrieveQuerySchema = z.object({
  stream: z.enum(["true", "false"]).optional(),
  starting_after: z.coerce.number().int().min(0).optional(),
  include_obfuscation: z.enum(["true", "false"]).optional(),
});

export function responsesRoutes(dependencies: AppDependencies) {
  const { store, bus, blobs } = dependencies;
  return new Hono()
    .post("/input_tokens", async (context) => {
      const body = await readJsonBody(context, inputTokensSchema);
      return context.json({ object: "response.input_tokens" as const, input_tokens: await countInputTokens(store, body) });
    })
    .post("/", async (context) => {
      const body = await readJsonBody(context, createResponseSchema);
      const responseId = newId("response");
      if (body.background && !body.stream) return context.json(viewResponse(await createResponse(dependencies, responseId, body)));
      // Subscribed before anything is published (the log of the response's new run is empty): the stream (or the wait) misses nothing.
      const subscription = bus.subscribe(responseId, 0);
      const created = await createResponse(dependencies, responseId, body).catch((error: unknown) => {
        subscription.close();
        throw error;
      });
      const include = includedOf(body.include, blobs);
      const current = createdState(store, created.record, include);
      if (!body.stream) return context.json(viewResponse(await settled(subscription, current)));
      const translator = new ResponseEventTranslator(fileNames(store), current, include);
      // A background response's stream is read from its run's event log, as any later read of it will be: same events, same numbers.
      const batches = created.record.background ? replayRunMessages(store, bus, responseId, subscription, true) : delivered(subscription);
      return streamResponseEvents(context, { subscription, batches }, translator, translator.opening(created));
    })
    .get("/:response_id", async (context) => {
      const include = includedOf(readInclude(context), blobs);
      const query = parseWith(retrieveQuerySchema, context.req.query());
      const responseId = context.req.param("response_id");
      if (query.stream === "true") return streamStoredResponse(context, dependencies, responseId, include, query.starting_after ?? -1);
      return context.json(viewResponse(await getResponseState(store, responseId, include)));
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
