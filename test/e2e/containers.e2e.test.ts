import OpenAI, { toFile } from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConformance } from "../../src/testing/openapi-conformance.js";
import { responseEventSchema, specRecorder } from "../../src/testing/spec-recorder.js";
import { recordedClients } from "../../src/testing/recorded-clients.js";
import { useTestServer } from "../../src/testing/test-server.js";

// The Containers API with the official SDK; every answer is checked against the spec's schemas.
const server = useTestServer();
let client: OpenAI;
let recorder: ReturnType<typeof specRecorder>;

beforeAll(() => {
  ({ recorder, client } = recordedClients(server.spool));
});

async function contentOf(containerId: string, fileId: string): Promise<string> {
  return (await client.containers.files.content.retrieve(fileId, { container_id: containerId })).text();
}

describe("containers", () => {
  it("creates a container with the hosted defaults, and lists, retrieves and deletes it", async () => {
    const container = await client.containers.create({ name: "Analysis" });
    expect(container).toEqual({
      id: expect.stringMatching(/^cntr_/),
      object: "container",
      name: "Analysis",
      created_at: expect.any(Number),
      status: "running",
      last_active_at: container.created_at,
      expires_after: { anchor: "last_active_at", minutes: 20 },
      memory_limit: "1g",
      network_policy: { type: "disabled" },
    });
    const custom = await client.containers.create({ name: "Long", expires_after: { anchor: "last_active_at", minutes: 60 }, memory_limit: "4g" });
    expect(custom).toMatchObject({ expires_after: { anchor: "last_active_at", minutes: 60 }, memory_limit: "4g" });

    expect(await client.containers.retrieve(container.id)).toEqual(container);
    const listed = await client.containers.list({ limit: 100 });
    expect(listed.data.map((item) => item.id).slice(0, 2)).toEqual([custom.id, container.id]);
    expect((await client.containers.list({ name: "Long" })).data.map((item) => item.id)).toEqual([custom.id]);
    expect((await client.containers.list({ order: "asc", limit: 1, after: container.id })).data[0]?.id).toBe(custom.id);

    await client.containers.delete(custom.id);
    await expect(client.containers.retrieve(custom.id)).rejects.toMatchObject({ status: 404, error: { message: `No container found with id '${custom.id}'.` } });
  });

  it("keeps uploaded and copied files under /mnt/data, downloadable, and deletes them with the container", async () => {
    const file = await client.files.create({ file: await toFile(Buffer.from("region,amount\nnorth,120\n"), "sales.csv"), purpose: "assistants" });
    const container = await client.containers.create({ name: "With files", file_ids: [file.id] });
    const [copied] = (await client.containers.files.list(container.id)).data;
    expect(copied).toEqual({
      id: expect.stringMatching(/^cfile_/),
      object: "container.file",
      container_id: container.id,
      created_at: expect.any(Number),
      bytes: 24,
      path: "/mnt/data/sales.csv",
      source: "user",
    });
    expect(await contentOf(container.id, copied!.id)).toBe("region,amount\nnorth,120\n");

    // A second file of the same name does not hide the first.
    const uploaded = await client.containers.files.create(container.id, { file: await toFile(Buffer.from("월,매출\n1,10\n"), "sales.csv") });
    expect(uploaded.path).toBe(`/mnt/data/sales-${uploaded.id}.csv`);
    expect(await contentOf(container.id, uploaded.id)).toBe("월,매출\n1,10\n");
    const byId = await client.containers.files.create(container.id, { file_id: file.id });
    expect(byId).toMatchObject({ source: "user", bytes: 24 });
    expect(await client.containers.files.retrieve(uploaded.id, { container_id: container.id })).toEqual(uploaded);
    const asc = await client.containers.files.list(container.id, { order: "asc" });
    expect(asc.data.map((item) => item.id)).toEqual([copied!.id, uploaded.id, byId.id]);

    await client.containers.files.delete(uploaded.id, { container_id: container.id });
    await expect(client.containers.files.retrieve(uploaded.id, { container_id: container.id })).rejects.toMatchObject({
      status: 404,
      error: { message: `No container file found with id '${uploaded.id}'.` },
    });
    await client.containers.delete(container.id);
    await expect(client.containers.files.list(container.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.containers.files.content.retrieve(copied!.id, { container_id: container.id })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses unknown ids and what a container here cannot do, naming the field", async () => {
    await expect(client.containers.retrieve("cntr_missing")).rejects.toMatchObject({ status: 404, error: { message: "No container found with id 'cntr_missing'." } });
    await expect(client.containers.delete("cntr_missing")).rejects.toMatchObject({ status: 404 });
    await expect(client.containers.files.create("cntr_missing", { file_id: "file-x" })).rejects.toMatchObject({ status: 404 });
    const container = await client.containers.create({ name: "Errors" });
    await expect(client.containers.files.create(container.id, { file_id: "file-missing" })).rejects.toMatchObject({
      status: 404,
      error: { message: "No file found with id 'file-missing'." },
    });
    await expect(client.containers.files.retrieve("cfile_missing", { container_id: container.id })).rejects.toMatchObject({ status: 404 });
    await expect(client.containers.create({ name: "x", file_ids: ["file-missing"] })).rejects.toMatchObject({ status: 404 });
    await expect(client.containers.create({} as OpenAI.Containers.ContainerCreateParams)).rejects.toMatchObject({
      status: 400,
      error: { param: "name", code: "missing_required_parameter" },
    });
    await expect(client.containers.create({ name: "x", network_policy: { type: "allowlist", allowed_domains: ["example.com"] } })).rejects.toMatchObject({
      status: 400,
      error: { param: "network_policy" },
    });
    await expect(client.containers.create({ name: "x", memory_limit: "2g" as "1g" })).rejects.toMatchObject({ status: 400, error: { param: "memory_limit" } });
  });

  it("answers within the spec's schemas", async () => {
    const { problems, covered } = await recorder.problems(loadConformance(), responseEventSchema);
    expect(problems).toEqual([]);
    const endpoints = loadConformance()
      .operations.filter((operation) => operation.template.startsWith("/containers"))
      .map((operation) => `${operation.method} ${operation.template}`);
    expect(endpoints.filter((endpoint) => !covered.has(endpoint))).toEqual([]);
  });
});
