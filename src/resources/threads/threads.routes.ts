import { Hono } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { apiVersionOf } from "../../http/api-version.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { readJsonBody } from "../../http/validation.js";
import { viewThread } from "../wire-views.js";
import { createThreadSchemaV1, createThreadSchemaV2, modifyThreadSchema, modifyThreadSchemaV1 } from "./threads.schema.js";
import { createThread, deleteThread, getThread, listThreads, modifyThread } from "./threads.service.js";

export function threadsRoutes({ store }: AppDependencies) {
  return new Hono()
    .post("/", async (context) => {
      const version = apiVersionOf(context);
      const body = await readJsonBody(context, version === "v1" ? createThreadSchemaV1 : createThreadSchemaV2);
      return context.json(viewThread(await createThread(store, body), version));
    })
    .get("/", async (context) => {
      const page = await listThreads(store, readListQuery(context));
      const version = apiVersionOf(context);
      return context.json(listEnvelope({ ...page, data: page.data.map((thread) => viewThread(thread, version)) }));
    })
    .get("/:thread_id", async (context) =>
      context.json(viewThread(await getThread(store, context.req.param("thread_id")), apiVersionOf(context))),
    )
    .post("/:thread_id", async (context) => {
      const version = apiVersionOf(context);
      const body = await readJsonBody(context, version === "v1" ? modifyThreadSchemaV1 : modifyThreadSchema);
      return context.json(viewThread(await modifyThread(store, context.req.param("thread_id"), body), version));
    })
    .delete("/:thread_id", async (context) => context.json(await deleteThread(store, context.req.param("thread_id"))));
}
