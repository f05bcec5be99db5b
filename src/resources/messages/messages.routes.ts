import { Hono } from "hono";
import { z } from "zod";
import type { AppDependencies } from "../../app-dependencies.js";
import { createMessageSchemaV1, createMessageSchemaV2, metadataSchema, metadataSchemaV1 } from "../../domain/request-schemas.js";
import { apiVersionOf } from "../../http/api-version.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { readJsonBody } from "../../http/validation.js";
import { viewMessage } from "../wire-views.js";
import { createMessage, deleteMessage, getMessage, listMessages, modifyMessage } from "./messages.service.js";

const modifyMessageSchema = z.strictObject({ metadata: metadataSchema.optional() });
const modifyMessageSchemaV1 = z.strictObject({ metadata: metadataSchemaV1.optional() });

export function messagesRoutes({ store }: AppDependencies) {
  return new Hono()
    .post("/:thread_id/messages", async (context) => {
      const version = apiVersionOf(context);
      const body = await readJsonBody(context, version === "v1" ? createMessageSchemaV1 : createMessageSchemaV2);
      return context.json(viewMessage(await createMessage(store, context.req.param("thread_id"), body), version));
    })
    .get("/:thread_id/messages", async (context) => {
      const runId = context.req.query("run_id");
      const page = await listMessages(store, context.req.param("thread_id"), {
        ...readListQuery(context),
        ...(runId ? { runId } : {}),
      });
      const version = apiVersionOf(context);
      return context.json(listEnvelope({ ...page, data: page.data.map((message) => viewMessage(message, version)) }));
    })
    .get("/:thread_id/messages/:message_id", async (context) => {
      const message = await getMessage(store, context.req.param("thread_id"), context.req.param("message_id"));
      return context.json(viewMessage(message, apiVersionOf(context)));
    })
    .post("/:thread_id/messages/:message_id", async (context) => {
      const version = apiVersionOf(context);
      const { metadata } = await readJsonBody(context, version === "v1" ? modifyMessageSchemaV1 : modifyMessageSchema);
      const message = await modifyMessage(store, context.req.param("thread_id"), context.req.param("message_id"), metadata);
      return context.json(viewMessage(message, version));
    })
    .delete("/:thread_id/messages/:message_id", async (context) =>
      context.json(await deleteMessage(store, context.req.param("thread_id"), context.req.param("message_id"))),
    );
}
