import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool, LanguageModelV3Prompt } from "@ai-sdk/provider";
import type { Run } from "../domain/objects.js";
import type { ModelProvider } from "../providers/model-provider.js";
import type { BuiltinToolScope, BuiltinToolType } from "./tools/builtin-tool.js";

/** The functions offered to the model: the run's function tools plus its builtin tools' functions. */
function modelTools(run: Run, scopes: Map<BuiltinToolType, BuiltinToolScope>): LanguageModelV3FunctionTool[] {
  return run.tools.flatMap((tool): LanguageModelV3FunctionTool[] => {
    if (tool.type === "function") {
      return [
        {
          type: "function",
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          inputSchema: (tool.function.parameters ?? { type: "object", properties: {} }) as LanguageModelV3FunctionTool["inputSchema"],
          ...(tool.function.strict ? { strict: true } : {}),
        },
      ];
    }
    const scope = scopes.get(tool.type);
    return scope ? [scope.definition] : [];
  });
}

/** `tool_choice` applies to the run's first model call; later calls (after tools ran) are free again. */
function modelToolChoice(
  run: Run,
  scopes: Map<BuiltinToolType, BuiltinToolScope>,
  firstCall: boolean,
): LanguageModelV3CallOptions["toolChoice"] {
  const choice = run.tool_choice;
  if (choice === "none") return { type: "none" };
  if (!firstCall || choice === "auto") return { type: "auto" };
  if (choice === "required") return { type: "required" };
  if (choice.type === "function") return { type: "tool", toolName: choice.function.name };
  const scope = scopes.get(choice.type);
  return scope ? { type: "tool", toolName: scope.definition.name } : { type: "auto" };
}

function modelResponseFormat(run: Run): LanguageModelV3CallOptions["responseFormat"] {
  const format = run.response_format;
  if (format === "auto" || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json" };
  return {
    type: "json",
    name: format.json_schema.name,
    ...(format.json_schema.description ? { description: format.json_schema.description } : {}),
    ...(format.json_schema.schema ? { schema: format.json_schema.schema as object } : {}),
  };
}

/** Everything one model call of `run` is asked with. */
export function modelCallOptions(
  run: Run,
  options: {
    prompt: LanguageModelV3Prompt;
    scopes: Map<BuiltinToolType, BuiltinToolScope>;
    /** Completion tokens left under `max_completion_tokens`, if the run set it. */
    remainingTokens: number | undefined;
    firstCall: boolean;
    signal: AbortSignal;
    models: ModelProvider;
  },
): LanguageModelV3CallOptions {
  const tools = modelTools(run, options.scopes);
  const responseFormat = modelResponseFormat(run);
  const format = run.response_format;
  return {
    prompt: options.prompt,
    abortSignal: options.signal,
    ...(tools.length > 0 ? { tools, toolChoice: modelToolChoice(run, options.scopes, options.firstCall) } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    ...(run.temperature !== null ? { temperature: run.temperature } : {}),
    ...(run.top_p !== null ? { topP: run.top_p } : {}),
    ...(options.remainingTokens !== undefined ? { maxOutputTokens: options.remainingTokens } : {}),
    providerOptions: options.models.providerOptions({
      parallelToolCalls: run.parallel_tool_calls || tools.length === 0,
      reasoningEffort: run.reasoning_effort ?? null,
      strictJsonSchema: format !== "auto" && format.type === "json_schema" && format.json_schema.strict === true,
    }),
  };
}
