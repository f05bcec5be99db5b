import { decode, encode, encodeGenerator } from "gpt-tokenizer/encoding/o200k_base";
import type { ChunkingOptions } from "./chunking-strategy.js";
import type { ExtractedDocument } from "./extract/extracted-document.js";

/** A window of a document's text, never crossing a page boundary. */
export interface Chunk {
  /** Position of the chunk within its file, from 0. */
  index: number;
  text: string;
  /** 1-based page the whole chunk comes from, or `null` for unpaginated formats. */
  pageNumber: number | null;
  tokenCount: number;
}

/**
 * Splits each page into overlapping windows of o200k_base tokens. Pages are chunked independently so
 * every chunk has an exact page number.
 */
export function chunkDocument(document: ExtractedDocument, options: ChunkingOptions): Chunk[] {
  const chunks: Chunk[] = [];
  for (const page of document.pages) {
    for (const text of chunkText(page.text, options)) {
      chunks.push({ index: chunks.length, text: text.text, pageNumber: page.pageNumber, tokenCount: text.tokenCount });
    }
  }
  return chunks;
}

/** A run of text that is never cut, with its o200k_base token count. */
interface TextUnit {
  text: string;
  tokenCount: number;
}

function chunkText(text: string, { maxChunkSizeTokens, chunkOverlapTokens }: ChunkingOptions) {
  const units = textUnits(text, maxChunkSizeTokens);
  const windows: { text: string; tokenCount: number }[] = [];
  let start = 0;
  while (start < units.length) {
    let end = start;
    let tokens = 0;
    while (end < units.length && tokens + (units[end]?.tokenCount ?? 0) <= maxChunkSizeTokens) {
      tokens += units[end]?.tokenCount ?? 0;
      end++;
    }
    const windowText = units
      .slice(start, end)
      .map((unit) => unit.text)
      .join("");
    if (windowText.trim() !== "") windows.push({ text: windowText, tokenCount: countTokens(windowText) });
    if (end === units.length) break;

    // Step back over whole units until the overlap budget is used, but always move forward.
    let next = end;
    let overlap = 0;
    while (next - 1 > start && overlap + (units[next - 1]?.tokenCount ?? 0) <= chunkOverlapTokens) {
      overlap += units[next - 1]?.tokenCount ?? 0;
      next--;
    }
    start = next;
  }
  return windows;
}

/**
 * Splits text into the tokenizer's pre-tokenization pieces (roughly words), so chunk boundaries fall
 * between characters by construction. Cutting a token array and decoding it instead is unsafe with
 * gpt-tokenizer: o200k_base is byte-level, a rare Hangul syllable or emoji can span several tokens, and
 * `decode` keeps an incomplete trailing character in a process-wide streaming TextDecoder, corrupting
 * the next decode call anywhere in the process. Decoding a whole piece never leaves bytes behind.
 * Pieces longer than a chunk (e.g. Chinese text without spaces) are split per character, which
 * over-counts tokens slightly and so stays within the limit.
 */
function textUnits(text: string, maxChunkSizeTokens: number): TextUnit[] {
  const units: TextUnit[] = [];
  // Text that merely looks like a special token (e.g. "<|endoftext|>" in a document) is ordinary content.
  for (const pieceTokens of encodeGenerator(text, { disallowedSpecial: new Set() })) {
    const pieceText = decode(pieceTokens);
    if (pieceTokens.length <= maxChunkSizeTokens) {
      units.push({ text: pieceText, tokenCount: pieceTokens.length });
    } else {
      for (const character of pieceText) units.push({ text: character, tokenCount: countTokens(character) });
    }
  }
  return units;
}

function countTokens(text: string): number {
  return encode(text, { disallowedSpecial: new Set() }).length;
}
