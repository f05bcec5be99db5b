import type { EmbeddingModelV3, LanguageModelV3 } from "@ai-sdk/provider";

/**
 * The LLM seam. Spool talks to models only through the AI SDK's V3 specification (`doStream` streams text
 * and tool calls and never runs a tool), so the run loop stays in charge and any V3 model plugs in.
 */
export interface ModelProvider {
  /** The model for a name an app sent (after the configured model map). */
  languageModel(requestedModel: string): LanguageModelV3;
  embeddingModel(): EmbeddingModelV3;
}
