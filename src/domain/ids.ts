import { randomBytes } from "node:crypto";

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** OpenAI's id prefixes; files use a hyphen, everything else an underscore. */
export const idPrefixes = {
  assistant: "asst_",
  thread: "thread_",
  message: "msg_",
  run: "run_",
  step: "step_",
  toolCall: "call_",
  file: "file-",
  vectorStore: "vs_",
  fileBatch: "vsfb_",
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  const bytes = randomBytes(24);
  let suffix = "";
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return idPrefixes[kind] + suffix;
}
