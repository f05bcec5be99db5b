import { defineModelProviderContract } from "./model-provider.contract.js";
import { createOpenAICompatibleProvider } from "./openai-compatible-provider.js";

defineModelProviderContract("openai-compatible", (baseURL, modelMap) =>
  createOpenAICompatibleProvider({ baseURL, modelMap, embeddingModel: "text-embedding-3-small" }),
);
