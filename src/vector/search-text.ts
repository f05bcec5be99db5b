// Korean, Chinese and Japanese runs: Korean puts particles directly on words (서울은, 서울에서) and
// Chinese/Japanese do not separate words at all, so whole-run tokens would rarely match a query.
const cjkRun = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/**
 * The text stored in the full-text-indexed column. CJK runs become overlapping character bigrams plus
 * single characters (the classic CJK analyzer approach), so '서울' matches inside '서울입니다' and a
 * one-syllable query still finds something. Latin words and codes such as XK-4471Q are left for the
 * word tokenizer. A catch-all n-gram tokenizer would also work but made English queries ~10× slower.
 */
export function toIndexedSearchText(text: string): string {
  return text.normalize("NFC").replace(cjkRun, (run) => {
    const characters = [...run];
    return ` ${[...bigrams(characters), ...(characters.length > 1 ? characters : [])].join(" ")} `;
  });
}

/** The query-side counterpart of {@link toIndexedSearchText}: bigrams only, unless a run is one character. */
export function toQuerySearchText(text: string): string {
  return text.normalize("NFC").replace(cjkRun, (run) => ` ${bigrams([...run]).join(" ")} `);
}

function bigrams(characters: string[]): string[] {
  if (characters.length === 1) return characters;
  return characters.slice(1).map((character, index) => `${characters[index]}${character}`);
}
