import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerRecord, withCurrentStatus } from "../../records/container-records.js";
import { openSqliteStore } from "../../storage/sql/sqlite-store.js";
import type { Store } from "../../storage/store.js";
import { getUsableContainer } from "./containers.service.js";

let store: Store;

beforeAll(async () => {
  store = await openSqliteStore(":memory:");
});

afterAll(async () => {
  await store.close();
});

describe("container expiry", () => {
  it("expires a container unused for its expires_after minutes, and refuses to use it", async () => {
    const container = containerRecord({ name: "idle", expiresAfter: { anchor: "last_active_at", minutes: 5 } });
    const idle = { ...container, last_active_at: container.last_active_at - 5 * 60 };
    await store.containers.insert(idle);
    expect(withCurrentStatus(idle, idle.last_active_at + 5 * 60 - 1).status).toBe("running");
    expect(withCurrentStatus(idle).status).toBe("expired");
    await expect(getUsableContainer(store, idle.id, "tools[0].container")).rejects.toMatchObject({ status: 400, code: "container_expired", param: "tools[0].container" });

    const fresh = containerRecord({ name: "fresh" });
    await store.containers.insert(fresh);
    expect((await getUsableContainer(store, fresh.id)).id).toBe(fresh.id);
  });
});
