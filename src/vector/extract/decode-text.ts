import { InvalidFileError } from "../errors.js";

/**
 * Decodes a text file as UTF-8 (or UTF-16 when it carries a BOM) and rejects binary content, so a
 * mislabelled binary never pollutes the index with mojibake.
 */
export function decodeTextFile(bytes: Uint8Array, filename: string): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le", { fatal: true }).decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be", { fatal: true }).decode(bytes);
    else text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new InvalidFileError(`${filename} is not valid UTF-8 text`, { cause: error });
  }
  if (text.includes("\u0000")) throw new InvalidFileError(`${filename} contains binary data`);
  return text.normalize("NFC");
}
