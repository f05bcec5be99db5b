import { describe, expect, it } from "vitest";
import { annotateCitations, citationMarker, type CitationSource } from "./citations.js";
import { parseSearchQueries } from "./search-input.js";

const sources = new Map<string, CitationSource>([
  ["0:0", { fileId: "file-a", filename: "보고서.pdf", pageNumber: 2, text: "성장률은 1.4%로 전망된다." }],
  ["0:1", { fileId: "file-b", filename: "notes.md", pageNumber: null, text: "Budget review on Thursday." }],
]);

describe("citation markers", () => {
  it("carry the file name and page, and never contain their own delimiters", () => {
    expect(citationMarker(0, 0, { filename: "보고서.pdf", pageNumber: 2 })).toBe("【0:0†보고서.pdf†p.2】");
    expect(citationMarker(1, 3, { filename: "a†b】.txt", pageNumber: null })).toBe("【1:3†a b .txt】");
  });

  it("become file_citation annotations with exact UTF-16 indices, even after emoji and Hangul", () => {
    const value = "🎉 성장률은 1.4%입니다【0:0†보고서.pdf†p.2】 and Thursday【0:1】, not 【9:9†ghost】.";
    const annotations = annotateCitations(value, sources);
    expect(annotations.map((annotation) => annotation.file_citation.file_id)).toEqual(["file-a", "file-b"]);
    for (const annotation of annotations) expect(value.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
    expect(annotations[0]?.file_citation.quote).toBe("성장률은 1.4%로 전망된다.");
  });
});

describe("search input", () => {
  it("accepts query, queries, a bare string and broken JSON", () => {
    expect(parseSearchQueries('{"query":"경제"}')).toEqual(["경제"]);
    expect(parseSearchQueries('{"queries":["a","b"]}')).toEqual(["a", "b"]);
    expect(parseSearchQueries('"plain"')).toEqual(["plain"]);
    expect(parseSearchQueries("not json")).toEqual(["not json"]);
    expect(parseSearchQueries("{}")).toEqual([]);
  });
});
