import { idPrefixes } from "../../domain/ids.js";
import type { Assistant, ResponseFormat } from "../../domain/objects.js";
import { InvalidRequestError } from "../../errors/api-error.js";
import type { Store } from "../../storage/store.js";
import { getAssistant } from "../assistants/assistants.service.js";
import type { CreateResponseRequest } from "./responses.schema.js";

type Variables = NonNullable<NonNullable<CreateResponseRequest["prompt"]>["variables"]>;

/** `{{name}}` in the assistant's instructions becomes the variable's text; unknown names stay as written. */
function fill(instructions: string | null, variables: Variables | null | undefined): string | null {
  if (instructions === null || !variables) return instructions;
  return instructions.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (marker, name: string) => {
    const value = variables[name];
    return value === undefined ? marker : typeof value === "string" ? value : value.text;
  });
}

/** The assistant's function tools, file_search over its vector stores, and code_interpreter with its files in an `auto` container. */
function responseTools(assistant: Assistant): NonNullable<CreateResponseRequest["tools"]> {
  const vectorStoreIds = assistant.tool_resources.file_search?.vector_store_ids ?? [];
  return assistant.tools.flatMap((tool): NonNullable<CreateResponseRequest["tools"]> => {
    if (tool.type === "function") {
      const { name, description, parameters, strict } = tool.function;
      return [{ type: "function", name, description: description ?? null, parameters: parameters ?? null, strict: strict ?? null }];
    }
    if (tool.type === "code_interpreter") return [{ type: "code_interpreter", container: { type: "auto", file_ids: assistant.tool_resources.code_interpreter?.file_ids ?? [] } }];
    if (tool.type !== "file_search" || vectorStoreIds.length === 0) return [];
    const threshold = tool.file_search?.ranking_options?.score_threshold;
    const maxResults = tool.file_search?.max_num_results;
    return [{ type: "file_search", vector_store_ids: vectorStoreIds, ...(maxResults ? { max_num_results: maxResults } : {}), ...(threshold === undefined ? {} : { ranking_options: { score_threshold: threshold } }) }];
  });
}

function textFormat(format: ResponseFormat): CreateResponseRequest["text"] {
  if (format === "auto") return undefined;
  if (format.type !== "json_schema") return { format };
  const { name, description, schema, strict } = format.json_schema;
  return { format: { type: "json_schema", name, ...(description === undefined ? {} : { description }), schema: schema ?? {}, strict: strict ?? null } };
}

/**
 * An assistant standing in for a prompt template, as the official migration maps assistants to prompts:
 * its model, instructions (with the prompt's variables filled in), tools (file_search over its
 * `tool_resources` vector stores), sampling settings, output format and reasoning effort apply wherever
 * the request sets none.
 */
export async function withAssistantPrompt(store: Store, request: CreateResponseRequest): Promise<CreateResponseRequest> {
  const prompt = request.prompt;
  if (!prompt) return request;
  if (!prompt.id.startsWith(idPrefixes.assistant)) {
    throw new InvalidRequestError(`Prompt '${prompt.id}' is not an assistant id: this server serves assistants (asst_…) as prompts.`, { param: "prompt.id" });
  }
  const assistant = await getAssistant(store, prompt.id);
  return {
    ...request,
    model: request.model ?? assistant.model,
    instructions: request.instructions ?? fill(assistant.instructions, prompt.variables),
    tools: request.tools ?? responseTools(assistant),
    temperature: request.temperature ?? assistant.temperature,
    top_p: request.top_p ?? assistant.top_p,
    text: request.text ?? textFormat(assistant.response_format),
    reasoning: request.reasoning ?? (assistant.reasoning_effort ? { effort: assistant.reasoning_effort } : null),
  };
}
