import { Hono } from "hono";
import type { AppDependencies } from "../../app-dependencies.js";
import { apiVersionOf } from "../../http/api-version.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import { readJsonBody } from "../../http/validation.js";
import { viewAssistant } from "../wire-views.js";
import {
  createAssistantSchemaV1,
  createAssistantSchemaV2,
  modifyAssistantSchemaV1,
  modifyAssistantSchemaV2,
} from "./assistants.schema.js";
import { createAssistant, deleteAssistant, getAssistant, listAssistants, modifyAssistant } from "./assistants.service.js";

export function assistantsRoutes({ store }: AppDependencies) {
  return new Hono()
    .post("/", async (context) => {
      const version = apiVersionOf(context);
      const body = await readJsonBody(context, version === "v1" ? createAssistantSchemaV1 : createAssistantSchemaV2);
      return context.json(viewAssistant(await createAssistant(store, body), version));
    })
    .get("/", async (context) => {
      const page = await listAssistants(store, readListQuery(context));
      const version = apiVersionOf(context);
      return context.json(listEnvelope({ ...page, data: page.data.map((assistant) => viewAssistant(assistant, version)) }));
    })
    .get("/:assistant_id", async (context) =>
      context.json(viewAssistant(await getAssistant(store, context.req.param("assistant_id")), apiVersionOf(context))),
    )
    .post("/:assistant_id", async (context) => {
      const version = apiVersionOf(context);
      const body = await readJsonBody(context, version === "v1" ? modifyAssistantSchemaV1 : modifyAssistantSchemaV2);
      return context.json(viewAssistant(await modifyAssistant(store, context.req.param("assistant_id"), body), version));
    })
    .delete("/:assistant_id", async (context) =>
      context.json(await deleteAssistant(store, context.req.param("assistant_id"))),
    );
}
