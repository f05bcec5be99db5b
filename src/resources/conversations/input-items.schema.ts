import { z } from "zod";

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

const outputTextSchema = z.object({ type: z.literal("output_text"), text: z.string() });
const refusalSchema = z.object({ type: z.literal("refusal"), refusal: z.string() });

const contentPartSchema = z.discriminatedUnion("type", [inputTextSchema, inputImageSchema, outputTextSchema, refusalSchema]);

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

/** `type` may be left out only for messages (the spec's `EasyInputMessage`). */
export const inputItemSchema = z.union([
  z.discriminatedUnion("type", [
    messageInputSchema.extend({ type: z.literal("message") }),
    functionCallInputSchema,
    functionCallOutputInputSchema,
    fileSearchCallInputSchema,
    codeInterpreterCallInputSchema,
  ]),
  messageInputSchema.extend({ type: z.undefined().optional() }),
]);

export type InputItem = z.output<typeof inputItemSchema>;
export type MessageInput = z.output<typeof messageInputSchema>;

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
