import { Hono, type Context } from "hono";
import type { ServiceAccount } from "../../domain/projects.js";
import type { ProjectKeys } from "../../http/project-keys.js";
import { listEnvelope } from "../../http/pagination.js";
import { parseWith, readJsonBody } from "../../http/validation.js";
import type { Store } from "../../storage/store.js";
import { viewApiKey, viewServiceAccount } from "./project-views.js";
import { adminListQuerySchema, createProjectSchema, createServiceAccountSchema, modifyProjectSchema } from "./projects.schema.js";
import {
  archiveProject,
  createProject,
  createServiceAccount,
  deleteApiKey,
  deleteServiceAccount,
  getApiKey,
  getProject,
  getServiceAccount,
  listProjects,
  renameProject,
} from "./projects.service.js";

type AdminStore = Pick<Store, "projects" | "serviceAccounts" | "apiKeys" | "transaction">;

function readAdminListQuery(context: Context) {
  const { limit, after, include_archived } = parseWith(adminListQuerySchema, context.req.query());
  return { query: { limit, ...(after ? { after } : {}) }, includeArchived: include_archived === "true" };
}

/**
 * The Administration API's projects, their service accounts and API keys (`/v1/organization/projects`);
 * the caller puts it behind the admin key. Changes to keys and projects are forgotten by `projectKeys` at
 * once in this process, within its cache time in others.
 */
export function projectsRoutes({ store, projectKeys }: { store: AdminStore; projectKeys: ProjectKeys }) {
  const projectId = (context: Context) => context.req.param("project_id") ?? "";
  return new Hono()
    .post("/", async (context) => {
      const body = await readJsonBody(context, createProjectSchema);
      return context.json(await createProject(store, body.name));
    })
    .get("/", async (context) => {
      const { query, includeArchived } = readAdminListQuery(context);
      return context.json(listEnvelope(await listProjects(store, query, includeArchived)));
    })
    .get("/:project_id", async (context) => context.json(await getProject(store, projectId(context))))
    .post("/:project_id", async (context) => {
      const body = await readJsonBody(context, modifyProjectSchema);
      return context.json(await renameProject(store, projectId(context), body.name));
    })
    .post("/:project_id/archive", async (context) => {
      const project = await archiveProject(store, projectId(context));
      projectKeys.forget();
      return context.json(project);
    })
    .post("/:project_id/service_accounts", async (context) => {
      const body = await readJsonBody(context, createServiceAccountSchema);
      const { account, apiKey } = await createServiceAccount(store, projectId(context), body.name, body.create_service_account_only === true);
      projectKeys.forget();
      return context.json({ ...viewServiceAccount(account), api_key: apiKey });
    })
    .get("/:project_id/service_accounts", async (context) => {
      await getProject(store, projectId(context));
      const { query } = readAdminListQuery(context);
      const page = await store.serviceAccounts.list({ ...query, order: "asc", parentId: projectId(context) });
      return context.json(listEnvelope({ ...page, data: page.data.map(viewServiceAccount) }));
    })
    .get("/:project_id/service_accounts/:service_account_id", async (context) =>
      context.json(viewServiceAccount(await getServiceAccount(store, projectId(context), context.req.param("service_account_id")))),
    )
    .delete("/:project_id/service_accounts/:service_account_id", async (context) => {
      const id = context.req.param("service_account_id");
      await deleteServiceAccount(store, projectId(context), id);
      projectKeys.forget();
      return context.json({ object: "organization.project.service_account.deleted", id, deleted: true });
    })
    .get("/:project_id/api_keys", async (context) => {
      await getProject(store, projectId(context));
      const { query } = readAdminListQuery(context);
      const page = await store.apiKeys.list({ ...query, order: "asc", parentId: projectId(context) });
      const owners = new Map<string, ServiceAccount | undefined>();
      for (const key of page.data) {
        if (!owners.has(key.service_account_id)) owners.set(key.service_account_id, await store.serviceAccounts.get(key.service_account_id));
      }
      return context.json(listEnvelope({ ...page, data: page.data.map((key) => viewApiKey(key, owners.get(key.service_account_id))) }));
    })
    .get("/:project_id/api_keys/:api_key_id", async (context) => {
      const key = await getApiKey(store, projectId(context), context.req.param("api_key_id"));
      return context.json(viewApiKey(key, await store.serviceAccounts.get(key.service_account_id)));
    })
    .delete("/:project_id/api_keys/:api_key_id", async (context) => {
      const id = context.req.param("api_key_id");
      await deleteApiKey(store, projectId(context), id);
      projectKeys.forget();
      return context.json({ object: "organization.project.api_key.deleted", id, deleted: true });
    });
}
