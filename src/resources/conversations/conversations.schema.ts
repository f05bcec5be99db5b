import { z } from "zod";
import { metadataSchema } from "../../domain/request-schemas.js";
import { inputItemSchema } from "./input-items.schema.js";

/** The spec lets a request add at most 20 items to a conversation. */
const itemsToAdd = z.array(inputItemSchema).max(20);

export const createConversationSchema = z.strictObject({
  metadata: metadataSchema.optional(),
  items: itemsToAdd.nullable().optional(),
});

export const updateConversationSchema = z.strictObject({ metadata: metadataSchema });

export const createItemsSchema = z.strictObject({ items: itemsToAdd });
