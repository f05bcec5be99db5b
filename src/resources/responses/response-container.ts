import type { AppDependencies } from "../../app-dependencies.js";
import { activeThreadContainer, containerRecord } from "../../records/container-records.js";
import type { Store } from "../../storage/store.js";
import { assertFilesExist, assertServable, copyFiles, getUsableContainer } from "../containers/containers.service.js";
import type { CreateResponseRequest } from "./responses.schema.js";

type CodeInterpreterTool = Extract<NonNullable<CreateResponseRequest["tools"]>[number], { type: "code_interpreter" }>;

function codeInterpreterOf(request: CreateResponseRequest): { tool: CodeInterpreterTool; param: string } | undefined {
  const index = (request.tools ?? []).findIndex((tool) => tool.type === "code_interpreter");
  const tool = request.tools?.[index];
  return tool?.type === "code_interpreter" ? { tool, param: `tools[${index}].container` } : undefined;
}

/** The id of the container a tool names; undefined for `auto`. */
const namedContainer = (container: CodeInterpreterTool["container"]) => (typeof container === "string" && container !== "auto" ? container : undefined);

/** Refuses, before anything is written, a container that is not there or expired, and Files that are not there. */
export async function checkResponseContainer(store: Store, request: CreateResponseRequest): Promise<void> {
  const found = codeInterpreterOf(request);
  if (!found) return;
  const { container } = found.tool;
  const named = namedContainer(container);
  if (named) await getUsableContainer(store, named, found.param);
  if (typeof container === "string") return;
  assertServable(container, `${found.param}.`);
  await assertFilesExist(store, container.file_ids ?? []);
}

/**
 * The container a response's code_interpreter runs in: the one it names, or for `auto` the latest
 * container `auto` made on its thread (a conversation, or a chain of responses) that has not expired, or
 * a new one; `auto`'s Files are copied in once. Call inside the response's transaction.
 */
export async function responseContainer(
  { store, blobs }: Pick<AppDependencies, "blobs"> & { store: Store },
  request: CreateResponseRequest,
  threadId: string,
): Promise<string | null> {
  const found = codeInterpreterOf(request);
  if (!found) return null;
  const { container } = found.tool;
  const named = namedContainer(container);
  if (named) return named;
  const auto = typeof container === "string" ? { type: "auto" as const } : container;
  let chosen = await activeThreadContainer(store, threadId);
  if (!chosen) {
    chosen = containerRecord({ name: `Container for ${threadId}`, threadId, ...(auto.memory_limit ? { memoryLimit: auto.memory_limit } : {}) });
    await store.containers.insert(chosen);
  }
  const copied = new Set(chosen.file_ids);
  await copyFiles({ store, blobs }, chosen.id, (auto.file_ids ?? []).filter((fileId) => !copied.has(fileId)));
  return chosen.id;
}
