import { afterEach, describe, expect, it } from "vitest";
import { createInProcessApp, type InProcessApp } from "../../testing/in-process-app.js";

const adminKey = "sk-admin-test";
let app: InProcessApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function call(path: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  if (!app) throw new Error("no app");
  const response = await app.request(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(init.key ? { authorization: `Bearer ${init.key}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { data?: Record<string, unknown>[] } };
}

const admin = (path: string, init: { method?: string; body?: unknown } = {}) => call(`/v1/organization${path}`, { ...init, key: adminKey });

async function projectWithKey(name: string) {
  const project = (await admin("/projects", { body: { name } })).body;
  const account = (await admin(`/projects/${String(project.id)}/service_accounts`, { body: { name: `${name} app` } })).body;
  const apiKey = account.api_key as { value: string; id: string };
  return { projectId: String(project.id), key: apiKey.value, keyId: apiKey.id, accountId: String(account.id) };
}

describe("Administration API: projects and their keys", () => {
  it("creates, lists, retrieves, renames and archives projects in the spec's shapes", async () => {
    app = await createInProcessApp({ SPOOL_ADMIN_KEY: adminKey });
    const created = await admin("/projects", { body: { name: "Team A" } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: "organization.project", name: "Team A", archived_at: null, status: "active" });
    expect(String(created.body.id)).toMatch(/^proj_/);
    const id = String(created.body.id);

    expect((await admin(`/projects/${id}`)).body).toEqual(created.body);
    expect((await admin(`/projects/${id}`, { body: { name: "Team A2" } })).body).toMatchObject({ id, name: "Team A2" });
    const listed = await admin("/projects");
    expect(listed.body).toMatchObject({ object: "list", has_more: false });
    expect(listed.body.data?.map((project) => project.name)).toEqual(["Default project", "Team A2"]);

    const archived = await admin(`/projects/${id}/archive`, { method: "POST" });
    expect(archived.body).toMatchObject({ id, status: "archived" });
    expect(typeof archived.body.archived_at).toBe("number");
    expect((await admin("/projects")).body.data?.map((project) => project.id)).toEqual(["proj_default"]);
    expect((await admin("/projects?include_archived=true")).body.data?.map((project) => project.id)).toEqual(["proj_default", id]);
  });

  it("answers unknown ids, bad bodies and the default project in hosted wording", async () => {
    app = await createInProcessApp({ SPOOL_ADMIN_KEY: adminKey });
    expect((await admin("/projects/proj_nope")).body.error).toMatchObject({ message: "No project found with id 'proj_nope'." });
    expect((await admin("/projects", { body: {} })).body.error).toMatchObject({ message: "Missing required parameter: 'name'.", param: "name" });
    expect((await admin("/projects", { body: { name: 5 } })).body.error).toMatchObject({ param: "name", code: "invalid_type" });
    const renameDefault = await admin("/projects/proj_default", { body: { name: "x" } });
    expect(renameDefault.status).toBe(400);
    expect((await admin("/projects/proj_default/archive", { method: "POST" })).status).toBe(400);
    expect((await call("/v1/organization/projects", { key: "sk-not-admin" })).status).toBe(401);
  });

  it("returns a key's value once, lists it redacted, and stops accepting it once deleted", async () => {
    app = await createInProcessApp({ SPOOL_ADMIN_KEY: adminKey });
    const { projectId, key, keyId, accountId } = await projectWithKey("Team B");
    expect(key).toMatch(/^sk-proj-/);

    const keys = await admin(`/projects/${projectId}/api_keys`);
    expect(keys.body.data).toHaveLength(1);
    const listed = keys.body.data?.[0] ?? {};
    expect(listed).toMatchObject({ object: "organization.project.api_key", id: keyId, owner_project_access: "active", last_used_at: null });
    expect(listed).toMatchObject({ owner: { type: "service_account", service_account: { id: accountId, name: "Team B app", role: "member" } } });
    expect(JSON.stringify(keys.body)).not.toContain(key);
    expect(String(listed.redacted_value)).toBe(`${key.slice(0, 11)}...${key.slice(-4)}`);

    expect((await call("/v1/assistants", { key })).status).toBe(200);
    expect((await admin(`/projects/${projectId}/api_keys/${keyId}`)).body.last_used_at).toEqual(expect.any(Number));
    expect((await admin(`/projects/${projectId}/service_accounts/${accountId}`)).body).toMatchObject({ object: "organization.project.service_account", id: accountId });

    const deleted = await admin(`/projects/${projectId}/api_keys/${keyId}`, { method: "DELETE" });
    expect(deleted.body).toEqual({ object: "organization.project.api_key.deleted", id: keyId, deleted: true });
    const refused = await call("/v1/assistants", { key });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).not.toContain(key);
  });

  it("refuses keys of archived projects, and a wrong key once any key exists", async () => {
    app = await createInProcessApp({ SPOOL_ADMIN_KEY: adminKey });
    // Open mode: no key anywhere, so any key is the default project's.
    expect((await call("/v1/assistants", { key: "sk-anything" })).status).toBe(200);
    const { projectId, key, keyId } = await projectWithKey("Team C");
    expect((await call("/v1/assistants", { key: "sk-anything" })).status).toBe(401);
    expect((await call("/v1/assistants")).body.error).toMatchObject({ code: "invalid_api_key" });
    await admin(`/projects/${projectId}/archive`, { method: "POST" });
    const archived = await call("/v1/assistants", { key });
    expect(archived.status).toBe(401);
    expect(archived.body.error).toMatchObject({ message: "The project of this API key has been archived and can no longer be used." });
    // With every key gone, the server stays closed: a project exists.
    await admin(`/projects/${projectId}/api_keys/${keyId}`, { method: "DELETE" });
    expect((await call("/v1/assistants", { key: "sk-anything" })).status).toBe(401);
  });

  it("keeps SPOOL_API_KEYS as keys of the default project", async () => {
    app = await createInProcessApp({ SPOOL_ADMIN_KEY: adminKey, SPOOL_API_KEYS: "sk-static" });
    const { key } = await projectWithKey("Team D");
    const inDefault = await call("/v1/assistants", { key: "sk-static", body: { model: "gpt-4o", name: "default's" } });
    const inTeam = await call("/v1/assistants", { key, body: { model: "gpt-4o", name: "team's" } });
    expect((await call("/v1/assistants", { key: "sk-static" })).body.data?.map((assistant) => assistant.id)).toEqual([inDefault.body.id]);
    expect((await call("/v1/assistants", { key })).body.data?.map((assistant) => assistant.id)).toEqual([inTeam.body.id]);
    expect((await call(`/v1/assistants/${String(inDefault.body.id)}`, { key })).body.error).toMatchObject({
      message: `No assistant found with id '${String(inDefault.body.id)}'.`,
    });
  });
});
