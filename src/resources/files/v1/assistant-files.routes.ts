import { Hono } from "hono";
import { z } from "zod";
import type { AppDependencies } from "../../../app-dependencies.js";
import type { Assistant } from "../../../domain/objects.js";
import { InvalidRequestError, NotFoundError } from "../../../errors/api-error.js";
import { listEnvelope, readListQuery } from "../../../http/pagination.js";
import { readJsonBody } from "../../../http/validation.js";
import type { Store } from "../../../storage/store.js";
import { getAssistant } from "../../assistants/assistants.service.js";
import { syncAssistantFileStore } from "../../vector-stores/implicit-stores.js";
import { pageOfArray } from "./array-page.js";

/** v1's per-assistant file list (`assistants=v1`); v1 allowed 20 files per assistant. */
const maxAssistantFiles = 20;

const createAssistantFileSchema = z.strictObject({ file_id: z.string().min(1) });

async function assistantFileView(store: Store, assistant: Assistant, fileId: string) {
  const file = await store.files.get(fileId);
  return { id: fileId, object: "assistant.file" as const, created_at: file?.created_at ?? assistant.created_at, assistant_id: assistant.id };
}

/** Writes new `file_ids` and mirrors them into the assistant's retrieval store, returning what left it. */
async function saveFileIds(store: Store, assistant: Assistant, fileIds: string[]) {
  const next = { ...assistant, file_ids: fileIds };
  const sync = await syncAssistantFileStore(store, next);
  await store.assistants.update({ ...next, tool_resources: sync.toolResources });
  return sync.detached;
}

/** `/v1/assistants/{assistant_id}/files`: v1's assistant files, backed by the assistant's `file_ids`. */
export function assistantFilesRoutes({ store, retrieval }: AppDependencies) {
  return new Hono()
    .post("/:assistant_id/files", async (context) => {
      const { file_id: fileId } = await readJsonBody(context, createAssistantFileSchema);
      const view = await store.transaction(async (transaction) => {
        const assistant = await getAssistant(transaction, context.req.param("assistant_id"));
        if (!(await transaction.files.get(fileId))) throw new InvalidRequestError(`No file found with id '${fileId}'.`, { param: "file_id" });
        if (!assistant.file_ids.includes(fileId)) {
          if (assistant.file_ids.length >= maxAssistantFiles) {
            throw new InvalidRequestError(`An assistant can have at most ${maxAssistantFiles} files.`, { param: "file_id" });
          }
          await saveFileIds(transaction, assistant, [...assistant.file_ids, fileId]);
        }
        return assistantFileView(transaction, assistant, fileId);
      });
      retrieval.wake();
      return context.json(view);
    })
    .get("/:assistant_id/files", async (context) => {
      const assistant = await getAssistant(store, context.req.param("assistant_id"));
      const files = await Promise.all(assistant.file_ids.map((fileId) => assistantFileView(store, assistant, fileId)));
      return context.json(listEnvelope(pageOfArray(files, readListQuery(context))));
    })
    .get("/:assistant_id/files/:file_id", async (context) => {
      const assistant = await getAssistant(store, context.req.param("assistant_id"));
      const fileId = context.req.param("file_id");
      if (!assistant.file_ids.includes(fileId)) throw NotFoundError.object("file", fileId);
      return context.json(await assistantFileView(store, assistant, fileId));
    })
    .delete("/:assistant_id/files/:file_id", async (context) => {
      const fileId = context.req.param("file_id");
      const detached = await store.transaction(async (transaction) => {
        const assistant = await getAssistant(transaction, context.req.param("assistant_id"));
        if (!assistant.file_ids.includes(fileId)) throw NotFoundError.object("file", fileId);
        return saveFileIds(transaction, assistant, assistant.file_ids.filter((id) => id !== fileId));
      });
      for (const { vectorStoreId, fileId: detachedId } of detached) await retrieval.forget(vectorStoreId, detachedId);
      return context.json({ id: fileId, object: "assistant.file.deleted" as const, deleted: true });
    });
}
