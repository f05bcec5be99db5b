import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { ModelProvider } from "./model-provider.js";

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
    name: "upstream",
    baseURL: settings.baseURL,
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  return {
    languageModel: (requestedModel) => upstream.chatModel(settings.modelMap[requestedModel] ?? requestedModel),
    embeddingModel: () => upstream.textEmbeddingModel(settings.embeddingModel),
  };
}
