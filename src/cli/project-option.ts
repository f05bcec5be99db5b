import { defaultProjectId } from "../domain/projects.js";
import type { Store } from "../storage/store.js";
import { UsageError } from "./exit-codes.js";

/**
 * The store `--project ID` names: that project's objects only (import writes into it, export reads from
 * it). Without the option, the default project's, where `SPOOL_API_KEYS` and open mode work.
 */
export async function projectStore(store: Store, command: string, projectId: string | undefined): Promise<Store> {
  const id = projectId ?? defaultProjectId;
  const project = await store.projects.get(id);
  if (!project) throw new UsageError(`spool ${command}: there is no project '${id}' (see GET /v1/organization/projects)`);
  if (project.status === "archived") throw new UsageError(`spool ${command}: project '${id}' is archived`);
  return store.forProject(id);
}
