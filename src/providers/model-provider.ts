import type { EmbeddingModelV3, LanguageModelV3, SharedV3ProviderOptions } from "@ai-sdk/provider";

/** Run settings that the V3 call options have no field for; each provider says how its backend spells them. */
export interface ExtraCallSettings {
  /** false asks the backend for at most one tool call per turn. */
  parallelToolCalls: boolean;
  /** Whether a `json_schema` response format is enforced strictly. */
  strictJsonSchema: boolean;
  /** For reasoning models; null leaves the backend's default. */
  reasoningEffort: string | null;
}

/**
 * The LLM seam. Spool talks to models only through the AI SDK's V3 specification (`doStream` streams text
 * and tool calls and never runs a tool), so the run loop stays in charge and any V3 model plugs in.
 */
export interface ModelProvider {
  /** The model for a name an app sent (after the configured model map). */
  languageModel(requestedModel: string): LanguageModelV3;
  embeddingModel(): EmbeddingModelV3;
  providerOptions(settings: ExtraCallSettings): SharedV3ProviderOptions;
}
