import { countTokens as countO200k } from "gpt-tokenizer/encoding/o200k_base";

/** Token estimate for truncation decisions (o200k, the GPT-4o family's encoding). */
export function countTokens(text: string): number {
  return countO200k(text);
}
