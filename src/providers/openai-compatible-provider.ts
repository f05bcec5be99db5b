import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import type { ModelProvider } from "./model-provider.js";

const providerName = "upstream";

export interface OpenAICompatibleSettings {
  baseURL: string;
  apiKey?: string;
  /** App model name → upstream model name; unmapped names pass through. */
  modelMap: Record<string, string>;
  embeddingModel: string;
}

/** Any Chat Completions upstream: OpenAI, vLLM, Ollama, llama.cpp server, LiteLLM… */
export function createOpenAICompatibleProvider(settings: OpenAICompatibleSettings): ModelProvider {
  const upstream = createOpenAICompatible({
    name: providerName,
    baseURL: settings.baseURL,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  // Building a chat model compiles its response schemas; do it once per model, not once per run.
  const chatModels = new Map<string, LanguageModelV3>();
  return {
    languageModel: (requestedModel) => {
      const modelId = settings.modelMap[requestedModel] ?? requestedModel;
      let model = chatModels.get(modelId);
      if (!model) {
        model = upstream.chatModel(modelId);
        chatModels.set(modelId, model);
      }
      return model;
    },
    embeddingModel: () => upstream.embeddingModel(settings.embeddingModel),
    // Unknown keys are sent as they are; the default (parallel calls allowed) is left to the backend.
    providerOptions: ({ parallelToolCalls, strictJsonSchema, reasoningEffort }) => ({
      [providerName]: {
        strictJsonSchema,
        ...(parallelToolCalls ? {} : { parallel_tool_calls: false }),
        ...(reasoningEffort ? { reasoningEffort } : {}),
      },
    }),
  };
}
