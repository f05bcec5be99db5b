export type TokenCounter = (text: string) => number;

let loading: Promise<TokenCounter> | undefined;

/**
 * The o200k tokenizer (the GPT-4o family's encoding) for truncation decisions. Its tables take ~50 MB,
 * and only runs with `max_prompt_tokens` need it, so it loads on first use.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((tokenizer) => tokenizer.countTokens);
  return loading;
}
