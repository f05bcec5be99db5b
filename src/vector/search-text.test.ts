import { describe, expect, it } from "vitest";
import { toIndexedSearchText, toQuerySearchText } from "./search-text.js";

const terms = (text: string) => text.split(/\s+/).filter((term) => term !== "");

describe("search text", () => {
  it("turns Korean runs into bigrams plus single syllables on the index side", () => {
    expect(terms(toIndexedSearchText("서울입니다"))).toEqual(["서울", "울입", "입니", "니다", "서", "울", "입", "니", "다"]);
  });

  it("queries with bigrams, or the syllable itself when it stands alone", () => {
    expect(terms(toQuerySearchText("서울"))).toEqual(["서울"]);
    expect(terms(toQuerySearchText("물 가격"))).toEqual(["물", "가격"]);
  });

  it("leaves Latin words, numbers and codes to the word tokenizer", () => {
    expect(toIndexedSearchText("Product XK-4471Q costs $5")).toBe("Product XK-4471Q costs $5");
    expect(terms(toQuerySearchText("2023년 GDP"))).toEqual(["2023", "년", "GDP"]);
  });

  it("normalises decomposed Hangul so it matches precomposed text", () => {
    expect(toQuerySearchText("서울".normalize("NFD"))).toBe(toQuerySearchText("서울"));
  });
});
