import type { ExecutionResult } from "../../../sandbox/code-sandbox.js";
import type { SavedOutput } from "./cell-report.js";
import type { SessionFiles } from "./session-files.js";

/** What a cell produced, once kept: image ids for the call's outputs, the files the model may link, notes for it. */
export interface KeptOutputs {
  imageIds: string[];
  saved: SavedOutput[];
  notes: string[];
}

/**
 * Where a code_interpreter session's files come from and go: a thread's (Assistants runs: inputs from
 * tool resources and attachments, outputs as Files) or a container's (responses: container files both ways).
 */
export interface CodeWorkspace {
  /** The sandbox session: the thread's or the container's id. */
  readonly sessionId: string;
  /** Names under /mnt/data the model is told about before any code runs. */
  readonly fileNames: string[];
  /** Whether images also go into the answer's message (Assistants `image_file` content). */
  readonly imagesInMessage: boolean;
  /** Writes into the session the files it does not hold yet; returns notes for the model about files that are gone. */
  prepare(files: SessionFiles, signal: AbortSignal): Promise<string[]>;
  /** Keeps the cell's images and files. */
  keep(files: SessionFiles, result: ExecutionResult): Promise<KeptOutputs>;
  /** File ids by name under /mnt/data, for the `sandbox:` links of the answer. */
  links(): ReadonlyMap<string, string>;
}

/** Names the host prints back to the model and the user; one with control characters could forge lines. */
export function isPrintableName(name: string): boolean {
  return Array.from(name).every((character) => (character.codePointAt(0) ?? 0) >= 0x20 && character !== "\u007f");
}

export const unprintableNameNote = "[A file whose name has control characters was not returned; rename it.]";
