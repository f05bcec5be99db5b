import { AsyncLocalStorage } from "node:async_hooks";
import type { Store } from "../storage/store.js";
import { trackedStore } from "./idempotency/effect-tracking.js";

const requestProjects = new AsyncLocalStorage<string>();

/** Runs `work` (the rest of a request's handling) as a request of `projectId`. */
export function inProject<T>(projectId: string, work: () => Promise<T>): Promise<T> {
  return requestProjects.run(projectId, work);
}

/** What a store holds beside projects' objects: the admin tables, leases, logs, reports. */
const sharedMembers = new Set<PropertyKey>([
  "forProject",
  "projects",
  "serviceAccounts",
  "apiKeys",
  "runLeases",
  "runEvents",
  "ingestionLeases",
  "idempotencyKeys",
  "usage",
  "ping",
  "close",
]);

/**
 * The store the routes get. Every object collection, transaction and commit hook goes to the store of the
 * project of the request being handled (see `projects.ts`), so no service can reach another project's
 * objects by forgetting a check; outside a request's project (a programming error) it throws rather than
 * read across projects. Its transactions also tell a request with an Idempotency-Key that its work took
 * effect (`effect-tracking.ts`).
 */
export function requestStore(base: Store): Store {
  // One per project (they hold no state of a request), so a request does not build its store again per access.
  const stores = new Map<string, Store>();
  const current = (): Store => {
    const projectId = requestProjects.getStore();
    if (projectId === undefined) throw new Error("A project's objects were used outside a request of that project.");
    let store = stores.get(projectId);
    if (!store) {
      store = trackedStore(base.forProject(projectId));
      stores.set(projectId, store);
    }
    return store;
  };
  return new Proxy(base, {
    get(target, property) {
      if (sharedMembers.has(property)) return Reflect.get(target, property);
      const scoped = current();
      const value: unknown = Reflect.get(scoped, property);
      return typeof value === "function" ? value.bind(scoped) : value;
    },
  });
}
