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
  functions: FunctionDraft[];
}

const STORAGE_KEY = 'spool.responseSetup';

export const emptySetup: ResponseSetup = { promptId: '', model: '', instructions: '', fileSearch: false, vectorStoreIds: [], functions: [] };

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
      vectorStoreIds: Array.isArray(stored.vectorStoreIds) ? stored.vectorStoreIds.filter((id) => typeof id === 'string') : [],
      functions: Array.isArray(stored.functions) ? stored.functions.filter((source) => typeof source === 'string').map((source) => functionDraft(source)) : [],
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
  // The file search results are shown under the call, as the run inspector shows a step's.
  fields.include = ['file_search_call.results'];
  return { ok: true, fields };
}
