import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import type { Run } from "../domain/objects.js";
import type { BuiltinToolScope, BuiltinToolType } from "./tools/builtin-tool.js";

/** The functions offered to the model: the run's function tools plus its builtin tools' functions. */
export function modelTools(run: Run, scopes: Map<BuiltinToolType, BuiltinToolScope>): LanguageModelV3FunctionTool[] {
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
export function modelToolChoice(
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

export function modelResponseFormat(run: Run): LanguageModelV3CallOptions["responseFormat"] {
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
