import { randomFillSync } from "node:crypto";

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
  conversation: "conv_",
  response: "resp_",
  /** Conversation items that are neither messages nor run steps (e.g. a client's function_call item). */
  functionCall: "fc_",
  functionCallOutput: "fco_",
  fileSearchCall: "fs_",
  container: "cntr_",
  containerFile: "cfile_",
  codeInterpreterCall: "ci_",
  reasoning: "rs_",
  project: "proj_",
  serviceAccount: "svc_acct_",
  apiKey: "key_",
} as const;

export type IdKind = keyof typeof idPrefixes;

const suffixLength = 24;
// One randomBytes call per id was a measurable share of a run's CPU; draw from a larger buffer instead.
const pool = Buffer.alloc(suffixLength * 256);
let poolOffset = pool.length;

export function newId(kind: IdKind): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let suffix = "";
  for (let index = 0; index < suffixLength; index += 1) suffix += alphabet[(pool[poolOffset + index] ?? 0) % alphabet.length];
  poolOffset += suffixLength;
  return idPrefixes[kind] + suffix;
}
