import { z } from "zod";
import type { InputContent } from "../../domain/items.js";

/**
 * The spec's `InputItem`s Spool stores: messages (text and image parts; an assistant's output text) and
 * function calls with their outputs. Inside items unknown fields are dropped rather than refused: clients
 * send earlier outputs back as input, and those carry fields (`logprobs`, `phase`, `caller`…) Spool does not keep.
 */

const detail = z.enum(["auto", "low", "high", "original"]).optional();

export const inputTextSchema = z.object({ type: z.literal("input_text"), text: z.string() });

export const inputImageSchema = z
  .object({
    type: z.literal("input_image"),
    image_url: z.url().nullable().optional(),
    file_id: z.string().min(1).nullable().optional(),
    detail,
  })
  .refine((image) => Boolean(image.image_url) !== Boolean(image.file_id), "give either image_url or file_id");

/** A file by id, or inline (`file_data`, base64 or a data URL, with its `filename`); a URL is not fetched. */
export const inputFileSchema = z
  .object({
    type: z.literal("input_file"),
    file_id: z.string().min(1).nullable().optional(),
    file_data: z.string().min(1).optional(),
    filename: z.string().min(1).max(256).optional(),
    file_url: z.url().optional(),
    detail: z.enum(["auto", "low", "high"]).optional(),
  })
  .refine((file) => [file.file_id, file.file_data, file.file_url].filter(Boolean).length === 1, "give one of file_id, file_data or file_url")
  .refine((file) => !file.file_data || file.filename, { message: "give the filename of file_data", path: ["filename"] });

const outputTextSchema = z.object({ type: z.literal("output_text"), text: z.string() });
const refusalSchema = z.object({ type: z.literal("refusal"), refusal: z.string() });

const contentPartSchema = z.discriminatedUnion("type", [inputTextSchema, inputImageSchema, inputFileSchema, outputTextSchema, refusalSchema]);

export const messageInputSchema = z.object({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPartSchema)]),
});

export const functionCallInputSchema = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1).max(64),
  name: z.string().min(1),
  arguments: z.string(),
});

export const functionCallOutputInputSchema = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string().max(10_485_760), z.array(z.discriminatedUnion("type", [inputTextSchema, inputImageSchema]))]),
});

/** An earlier output sent back as input: kept as it was, shown to no model (its results went into an answer). */
export const fileSearchCallInputSchema = z.object({
  type: z.literal("file_search_call"),
  queries: z.array(z.string()),
  results: z
    .array(
      z.object({
        file_id: z.string(),
        filename: z.string().default(""),
        score: z.number().default(0),
        text: z.string().default(""),
        attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable().default(null),
      }),
    )
    .nullable()
    .default(null),
});

/** An earlier code_interpreter_call output sent back as input: kept as it was, shown to no model (its container keeps the files). */
export const codeInterpreterCallInputSchema = z.object({
  type: z.literal("code_interpreter_call"),
  container_id: z.string(),
  code: z.string().nullable(),
  outputs: z
    .array(z.discriminatedUnion("type", [z.object({ type: z.literal("logs"), logs: z.string() }), z.object({ type: z.literal("image"), url: z.string() })]))
    .nullable()
    .default(null),
});

/**
 * A reasoning item of an earlier response sent back as input (as the Agents SDKs do when they keep the
 * history): kept in the conversation, shown to no model (chat-completions backends take no reasoning back).
 */
export const reasoningInputSchema = z.object({
  type: z.literal("reasoning"),
  id: z.string().optional(),
  summary: z.array(z.object({ type: z.literal("summary_text"), text: z.string() })),
  content: z.array(z.object({ type: z.literal("reasoning_text"), text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

/** An item stored earlier (of the conversation, or of the previous response's chain), by id: it is added again as it was. */
export const itemReferenceSchema = z.object({ type: z.literal("item_reference"), id: z.string().min(1) });

/** `type` may be left out for messages (the spec's `EasyInputMessage`) and item references. */
export const inputItemSchema = z.union([
  z.discriminatedUnion("type", [
    messageInputSchema.extend({ type: z.literal("message") }),
    functionCallInputSchema,
    functionCallOutputInputSchema,
    fileSearchCallInputSchema,
    codeInterpreterCallInputSchema,
    reasoningInputSchema,
    itemReferenceSchema,
  ]),
  messageInputSchema.extend({ type: z.undefined().optional() }),
  itemReferenceSchema.extend({ type: z.null().optional() }),
]);

export type RequestedInputItem = z.output<typeof inputItemSchema>;
type ContentPart = z.output<typeof contentPartSchema>;
export type ItemReference = z.output<typeof itemReferenceSchema> | { type?: null | undefined; id: string };

export function isItemReference(item: object & { type?: string | null | undefined }): item is ItemReference {
  return "id" in item && !("role" in item) && (item.type === "item_reference" || item.type === null || item.type === undefined);
}
/** An input file once stored: by id, with its name. */
export type StoredInputFile = Extract<InputContent, { type: "input_file" }>;
/** A message whose inline files were stored as Files. */
export type MessageInput = Omit<z.output<typeof messageInputSchema>, "content"> & {
  type?: "message" | undefined;
  content: string | (Exclude<ContentPart, { type: "input_file" }> | StoredInputFile)[];
};
/** An input item once references are resolved and inline files stored: what a thread takes. */
export type InputItem =
  | MessageInput
  | z.output<typeof functionCallInputSchema>
  | z.output<typeof functionCallOutputInputSchema>
  | z.output<typeof fileSearchCallInputSchema>
  | z.output<typeof codeInterpreterCallInputSchema>
  | z.output<typeof reasoningInputSchema>;

/**
 * The spec's `include` values, all accepted. Two change what Spool answers: `file_search_call.results` and
 * `code_interpreter_call.outputs` (left out otherwise). The others have nothing to add here:
 * `message.input_image.image_url`: input images' URLs are always shown (an item keeps what the client sent);
 * `message.output_text.logprobs`: the upstream is not asked for logprobs, so output text carries `logprobs: []`;
 * `reasoning.encrypted_content`: reasoning items carry the backend's reasoning text, which is never encrypted;
 * `web_search_call.*` and `computer_call_output.output.image_url`: Spool has neither tool.
 */
export const includeValues = [
  "file_search_call.results",
  "web_search_call.results",
  "web_search_call.action.sources",
  "message.input_image.image_url",
  "computer_call_output.output.image_url",
  "code_interpreter_call.outputs",
  "reasoning.encrypted_content",
  "message.output_text.logprobs",
] as const;
