import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppDependencies } from "../../app-dependencies.js";
import { includedOf, type StepItemOptions } from "../../engine/responses/conversation-items.js";
import { listEnvelope, readListQuery } from "../../http/pagination.js";
import type { BlobStore } from "../../storage/blobs/blob-store.js";
import { parseWith, readJsonBody } from "../../http/validation.js";
import { createConversationSchema, createItemsSchema, updateConversationSchema } from "./conversations.schema.js";
import { addItems, createConversation, deleteConversation, getConversationThread, updateConversation, viewConversation } from "./conversations.service.js";
import { includeValues } from "./input-items.schema.js";
import { deleteItem, getItem, listItems } from "./items.service.js";

const includeQuerySchema = z.object({ include: z.array(z.enum(includeValues)) });

/**
 * The `include` values of a request (`include[]=…` or `include=…`, repeated), refused as a body's would be
 * when the spec does not list them; see `includeValues` for which ones change what Spool answers.
 */
export function readInclude(context: Context): string[] {
  const values = context.req.queries("include[]") ?? context.req.queries("include") ?? [];
  return parseWith(includeQuerySchema, { include: values }).include;
}

const itemOptions = (context: Context, blobs: Pick<BlobStore, "open">): StepItemOptions => ({ outputs: true, ...includedOf(readInclude(context), blobs) });

export function conversationsRoutes(dependencies: AppDependencies) {
  const { store, blobs } = dependencies;
  return new Hono()
    .post("/", async (context) => {
      const body = await readJsonBody(context, createConversationSchema);
      return context.json(viewConversation(await createConversation(dependencies, body)));
    })
    .get("/:conversation_id", async (context) => context.json(viewConversation(await getConversationThread(store, context.req.param("conversation_id")))))
    .post("/:conversation_id", async (context) => {
      const body = await readJsonBody(context, updateConversationSchema);
      return context.json(viewConversation(await updateConversation(store, context.req.param("conversation_id"), body)));
    })
    .delete("/:conversation_id", async (context) => context.json(await deleteConversation(store, context.req.param("conversation_id"))))
    .post("/:conversation_id/items", async (context) => {
      readInclude(context);
      const { items } = await readJsonBody(context, createItemsSchema);
      const added = await addItems(dependencies, context.req.param("conversation_id"), items);
      return context.json(listEnvelope({ data: added, hasMore: false }));
    })
    .get("/:conversation_id/items", async (context) => {
      const options = itemOptions(context, blobs);
      const conversationId = context.req.param("conversation_id");
      await getConversationThread(store, conversationId);
      const { limit, order, after } = readListQuery(context);
      return context.json(listEnvelope(await listItems(store, conversationId, { limit, order, ...(after ? { after } : {}) }, options)));
    })
    .get("/:conversation_id/items/:item_id", async (context) => {
      const options = itemOptions(context, blobs);
      const conversationId = context.req.param("conversation_id");
      await getConversationThread(store, conversationId);
      return context.json(await getItem(store, conversationId, context.req.param("item_id"), options));
    })
    .delete("/:conversation_id/items/:item_id", async (context) => {
      const conversationId = context.req.param("conversation_id");
      await store.transaction(async (transaction) => {
        await getConversationThread(transaction, conversationId);
        await deleteItem(transaction, conversationId, context.req.param("item_id"));
      });
      return context.json(viewConversation(await getConversationThread(store, conversationId)));
    });
}
