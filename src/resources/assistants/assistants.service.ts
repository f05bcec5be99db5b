import { newId } from "../../domain/ids.js";
import type { Assistant, AssistantTool } from "../../domain/objects.js";
import { unixNow } from "../../domain/time.js";
import { NotFoundError } from "../../errors/api-error.js";
import type { ListQuery } from "../../storage/collection.js";
import type { Store } from "../../storage/store.js";
import { normalizeToolResources } from "../tool-resources.js";
import { syncAssistantFileStore } from "../vector-stores/implicit-stores.js";
import type { AssistantFields } from "./assistants.schema.js";

function normalizeTools(tools: NonNullable<AssistantFields["tools"]>): AssistantTool[] {
  return tools.map((tool) => (tool.type === "retrieval" ? { type: "file_search" } : (tool as AssistantTool)));
}

export async function getAssistant(store: Store, id: string): Promise<Assistant> {
  const assistant = await store.assistants.get(id);
  if (!assistant) throw NotFoundError.object("assistant", id);
  return assistant;
}

/** Applies the given fields (create and modify share this); absent fields keep their current value. */
async function applyFields(store: Store, assistant: Assistant, fields: AssistantFields): Promise<Assistant> {
  const next: Assistant = { ...assistant };
  if (fields.model !== undefined) next.model = fields.model;
  if (fields.name !== undefined) next.name = fields.name;
  if (fields.description !== undefined) next.description = fields.description;
  if (fields.instructions !== undefined) next.instructions = fields.instructions;
  if (fields.metadata !== undefined) next.metadata = fields.metadata ?? {};
  if (fields.tools !== undefined) next.tools = normalizeTools(fields.tools);
  if (fields.temperature !== undefined) next.temperature = fields.temperature;
  if (fields.top_p !== undefined) next.top_p = fields.top_p;
  if (fields.response_format !== undefined) next.response_format = fields.response_format ?? "auto";
  if (fields.reasoning_effort !== undefined) next.reasoning_effort = fields.reasoning_effort;
  if (fields.tool_resources !== undefined) next.tool_resources = await normalizeToolResources(store, fields.tool_resources);
  if (fields.file_ids !== undefined) {
    next.file_ids = fields.file_ids;
    // v1 retrieval searches the assistant's files through its vector store (see implicit-stores.ts).
    next.tool_resources = (await syncAssistantFileStore(store, next)).toolResources;
  }
  return next;
}

export async function createAssistant(store: Store, fields: AssistantFields): Promise<Assistant> {
  const blank: Assistant = {
    id: newId("assistant"),
    object: "assistant",
    created_at: unixNow(),
    name: null,
    description: null,
    model: "",
    instructions: null,
    tools: [],
    tool_resources: {},
    metadata: {},
    temperature: 1,
    top_p: 1,
    response_format: "auto",
    file_ids: [],
    reasoning_effort: null,
  };
  return store.transaction(async (transaction) => {
    const assistant = await applyFields(transaction, blank, fields);
    await transaction.assistants.insert(assistant);
    return assistant;
  });
}

export async function modifyAssistant(store: Store, id: string, fields: AssistantFields): Promise<Assistant> {
  return store.transaction(async (transaction) => {
    const assistant = await applyFields(transaction, await getAssistant(transaction, id), fields);
    await transaction.assistants.update(assistant);
    return assistant;
  });
}

export async function deleteAssistant(store: Store, id: string) {
  if (!(await store.assistants.delete(id))) throw NotFoundError.object("assistant", id);
  return { id, object: "assistant.deleted" as const, deleted: true };
}

export function listAssistants(store: Store, query: ListQuery) {
  return store.assistants.list(query);
}
