/**
 * What Responses mode sends with each turn besides the input: a model and instructions, or an assistant
 * standing in as the prompt, and the tools. Kept in localStorage so a reload keeps the setup.
 */
import type { ResponseTool } from '../api/response-types.js';
import { functionDraft, parseFunctionDefinition, type FunctionDraft } from './function-schema.js';

export interface ResponseSetup {
  /** An assistant id used as `prompt: { id }`, or '' for none. */
  promptId: string;
  model: string;
  instructions: string;
  fileSearch: boolean;
  vectorStoreIds: string[];
  codeInterpreter: boolean;
  /** Files copied into the code interpreter's container. */
  codeFileIds: string[];
  functions: FunctionDraft[];
}

const STORAGE_KEY = 'spool.responseSetup';

export const emptySetup: ResponseSetup = { promptId: '', model: '', instructions: '', fileSearch: false, vectorStoreIds: [], codeInterpreter: false, codeFileIds: [], functions: [] };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

type StoredSetup = Omit<ResponseSetup, 'functions'> & { functions: string[] };

export function loadSetup(): ResponseSetup {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<StoredSetup> | null;
    if (!stored || typeof stored !== 'object') return emptySetup;
    return {
      promptId: typeof stored.promptId === 'string' ? stored.promptId : '',
      model: typeof stored.model === 'string' ? stored.model : '',
      instructions: typeof stored.instructions === 'string' ? stored.instructions : '',
      fileSearch: stored.fileSearch === true,
      vectorStoreIds: strings(stored.vectorStoreIds),
      codeInterpreter: stored.codeInterpreter === true,
      codeFileIds: strings(stored.codeFileIds),
      functions: strings(stored.functions).map((source) => functionDraft(source)),
    };
  } catch {
    return emptySetup; // storage disabled, or not JSON
  }
}

export function saveSetup(setup: ResponseSetup): void {
  const stored: StoredSetup = { ...setup, functions: setup.functions.map((fn) => fn.source) };
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  } catch {
    // Ignore: the setup then lasts for this page load only.
  }
}

/** What the playground asks responses and conversation items to include. */
export const RESPONSE_INCLUDE = ['file_search_call.results', 'code_interpreter_call.outputs'];

/** {@link RESPONSE_INCLUDE} as a query string, for conversation item lists. */
export const includeQuery = RESPONSE_INCLUDE.map((value) => `include[]=${encodeURIComponent(value)}`).join('&');

export type SetupRequest = { ok: true; fields: Record<string, unknown> } | { ok: false; error: string };

/**
 * The request fields for the setup. With an assistant as the prompt, an empty model or instructions
 * means the assistant's, and tools are sent only when some are set here (they replace the assistant's).
 */
export function setupRequest(setup: ResponseSetup): SetupRequest {
  const model = setup.model.trim();
  if (!setup.promptId && !model) return { ok: false, error: 'Choose a model, or an assistant as the prompt.' };
  if (setup.fileSearch && setup.vectorStoreIds.length === 0) return { ok: false, error: 'File search needs at least one vector store.' };
  const tools: ResponseTool[] = [];
  if (setup.fileSearch) tools.push({ type: 'file_search', vector_store_ids: setup.vectorStoreIds });
  // An `auto` container: the conversation keeps using the one its first code made (with its files).
  if (setup.codeInterpreter) tools.push({ type: 'code_interpreter', container: { type: 'auto', file_ids: setup.codeFileIds } });
  for (const [index, fn] of setup.functions.entries()) {
    const parsed = parseFunctionDefinition(fn.source);
    if (!parsed.ok) return { ok: false, error: `Function ${index + 1}: ${parsed.error}` };
    tools.push({ type: 'function', ...parsed.value, strict: parsed.value.strict ?? false });
  }
  const fields: Record<string, unknown> = {};
  if (setup.promptId) fields.prompt = { id: setup.promptId };
  if (model) fields.model = model;
  if (setup.instructions.trim()) fields.instructions = setup.instructions;
  if (tools.length > 0 || !setup.promptId) fields.tools = tools;
  // Search results and code outputs are shown under their calls, as the run inspector shows a step's.
  fields.include = RESPONSE_INCLUDE;
  return { ok: true, fields };
}
