import { Hono } from "hono";
import type { AppDependencies } from "../../../app-dependencies.js";
import type { Message } from "../../../domain/objects.js";
import { NotFoundError } from "../../../errors/api-error.js";
import { listEnvelope, readListQuery } from "../../../http/pagination.js";
import { getMessage } from "../../messages/messages.service.js";
import { pageOfArray } from "./array-page.js";

function messageFileView(message: Message, fileId: string) {
  return { id: fileId, object: "thread.message.file" as const, created_at: message.created_at, message_id: message.id };
}

/** `/v1/threads/{thread_id}/messages/{message_id}/files`: v1's read-only view of a message's `file_ids`. */
export function messageFilesRoutes({ store }: AppDependencies) {
  return new Hono()
    .get("/:thread_id/messages/:message_id/files", async (context) => {
      const message = await getMessage(store, context.req.param("thread_id"), context.req.param("message_id"));
      const files = message.file_ids.map((fileId) => messageFileView(message, fileId));
      return context.json(listEnvelope(pageOfArray(files, readListQuery(context))));
    })
    .get("/:thread_id/messages/:message_id/files/:file_id", async (context) => {
      const message = await getMessage(store, context.req.param("thread_id"), context.req.param("message_id"));
      const fileId = context.req.param("file_id");
      if (!message.file_ids.includes(fileId)) throw NotFoundError.object("file", fileId);
      return context.json(messageFileView(message, fileId));
    });
}
