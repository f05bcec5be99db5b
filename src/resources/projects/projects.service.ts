import { hashApiKey, newApiKeyValue, redactApiKey } from "../../domain/api-key-values.js";
import { newId } from "../../domain/ids.js";
import { defaultProjectId, type Project, type ServiceAccount, type StoredApiKey } from "../../domain/projects.js";
import { unixNow } from "../../domain/time.js";
import { InvalidRequestError, NotFoundError } from "../../errors/api-error.js";
import type { ListPage, ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";

type AdminStore = Pick<Store, "projects" | "serviceAccounts" | "apiKeys" | "transaction">;

export async function getProject(store: Pick<Store, "projects">, id: string): Promise<Project> {
  const project = await store.projects.get(id);
  if (!project) throw NotFoundError.object("project", id);
  return project;
}

export async function createProject(store: AdminStore, name: string): Promise<Project> {
  const project: Project = { id: newId("project"), object: "organization.project", name, created_at: unixNow(), archived_at: null, status: "active" };
  await store.projects.insert(project);
  return project;
}

export function listProjects(store: Pick<Store, "projects">, query: Pick<ListQuery, "limit" | "after">, includeArchived: boolean): Promise<ListPage<Project>> {
  return store.projects.list({ ...query, order: "asc", ...(includeArchived ? {} : { statuses: ["active"] }) });
}

/** The default project holds `SPOOL_API_KEYS` and everything stored before projects: it stays as it is. */
function refuseDefault(id: string, action: string): void {
  if (id === defaultProjectId) throw new InvalidRequestError(`The default project cannot be ${action}.`, { param: "project_id" });
}

export async function renameProject(store: AdminStore, id: string, name: string | null | undefined): Promise<Project> {
  refuseDefault(id, "modified");
  return store.transaction(async (transaction) => {
    const project = await getProjectForUpdate(transaction, id);
    const next = { ...project, ...(name ? { name } : {}) };
    await transaction.projects.update(next);
    return next;
  });
}

/** Archived projects keep their objects, but their keys stop working and they take no new keys. */
export async function archiveProject(store: AdminStore, id: string): Promise<Project> {
  refuseDefault(id, "archived");
  return store.transaction(async (transaction) => {
    const project = await getProjectForUpdate(transaction, id);
    if (project.status === "archived") return project;
    const next: Project = { ...project, status: "archived", archived_at: unixNow() };
    await transaction.projects.update(next);
    return next;
  });
}

async function getProjectForUpdate(store: Pick<Store, "projects">, id: string): Promise<Project> {
  const project = await store.projects.getForUpdate(id);
  if (!project) throw NotFoundError.object("project", id);
  return project;
}

/**
 * A service account and, unless `accountOnly`, its API key. The key's value is returned here once and
 * never stored: only its hash is.
 */
export async function createServiceAccount(store: AdminStore, projectId: string, name: string, accountOnly: boolean) {
  return store.transaction(async (transaction) => {
    const project = await getProjectForUpdate(transaction, projectId);
    if (project.status === "archived") throw new InvalidRequestError(`Project '${projectId}' is archived and takes no new service accounts.`, { param: "project_id" });
    const createdAt = unixNow();
    const account: ServiceAccount = {
      id: newId("serviceAccount"),
      object: "organization.project.service_account",
      project_id: projectId,
      name,
      role: accountOnly ? "none" : "member",
      created_at: createdAt,
    };
    await transaction.serviceAccounts.insert(account);
    if (accountOnly) return { account, apiKey: null };
    const keyId = newId("apiKey");
    const value = newApiKeyValue(keyId);
    const key: StoredApiKey = {
      id: keyId,
      project_id: projectId,
      service_account_id: account.id,
      name: "Secret Key",
      redacted_value: redactApiKey(value),
      created_at: createdAt,
      last_used_at: null,
      hash: hashApiKey(value),
    };
    await transaction.apiKeys.insert(key);
    return { account, apiKey: { object: "organization.project.service_account.api_key" as const, value, name: key.name, created_at: createdAt, id: keyId } };
  });
}

export async function getServiceAccount(store: Pick<Store, "projects" | "serviceAccounts">, projectId: string, id: string): Promise<ServiceAccount> {
  await getProject(store, projectId);
  const account = await store.serviceAccounts.get(id, projectId);
  if (!account) throw NotFoundError.object("service account", id);
  return account;
}

/** Deleting a service account deletes its keys with it. */
export async function deleteServiceAccount(store: AdminStore, projectId: string, id: string): Promise<void> {
  await store.transaction(async (transaction) => {
    await getServiceAccount(transaction, projectId, id);
    for (const key of await transaction.apiKeys.findAll({ parentId: projectId })) {
      if (key.service_account_id === id) await transaction.apiKeys.delete(key.id, projectId);
    }
    await transaction.serviceAccounts.delete(id, projectId);
  });
}

export async function getApiKey(store: Pick<Store, "projects" | "apiKeys">, projectId: string, id: string): Promise<StoredApiKey> {
  await getProject(store, projectId);
  const key = await store.apiKeys.get(id, projectId);
  if (!key) throw NotFoundError.object("API key", id);
  return key;
}

export async function deleteApiKey(store: AdminStore, projectId: string, id: string): Promise<void> {
  await store.transaction(async (transaction) => {
    await getApiKey(transaction, projectId, id);
    await transaction.apiKeys.delete(id, projectId);
  });
}
