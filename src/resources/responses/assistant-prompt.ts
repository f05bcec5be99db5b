import { idPrefixes } from "../../domain/ids.js";
import type { AssistantTool, ResponseFormat } from "../../domain/objects.js";
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

/** The assistant's function tools; its builtin tools are not served to responses yet. */
function functionTools(tools: AssistantTool[]): NonNullable<CreateResponseRequest["tools"]> {
  return tools.flatMap((tool) =>
    tool.type === "function"
      ? [{ type: "function" as const, name: tool.function.name, description: tool.function.description ?? null, parameters: tool.function.parameters ?? null, strict: tool.function.strict ?? null }]
      : [],
  );
}

function textFormat(format: ResponseFormat): CreateResponseRequest["text"] {
  if (format === "auto") return undefined;
  if (format.type !== "json_schema") return { format };
  const { name, description, schema, strict } = format.json_schema;
  return { format: { type: "json_schema", name, ...(description === undefined ? {} : { description }), schema: schema ?? {}, strict: strict ?? null } };
}

/**
 * An assistant standing in for a prompt template, as the official migration maps assistants to prompts:
 * its model, instructions (with the prompt's variables filled in), function tools, sampling settings,
 * output format and reasoning effort apply wherever the request sets none.
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
    tools: request.tools ?? functionTools(assistant.tools),
    temperature: request.temperature ?? assistant.temperature,
    top_p: request.top_p ?? assistant.top_p,
    text: request.text ?? textFormat(assistant.response_format),
    reasoning: request.reasoning ?? (assistant.reasoning_effort ? { effort: assistant.reasoning_effort } : null),
  };
}
