/** Validation of a function tool definition typed as JSON in the assistant editor. */
import type { FunctionDefinition } from '../api/types.js';

export type FunctionParse = { ok: true; value: FunctionDefinition } | { ok: false; error: string };

export const FUNCTION_TEMPLATE = JSON.stringify(
  {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City name, e.g. Seoul' } },
      required: ['city'],
    },
  },
  null,
  2,
);

/** A function being typed as JSON; `key` tells React which text box is which. */
export interface FunctionDraft {
  key: number;
  source: string;
}

let nextKey = 1;

/** A function typed as JSON, starting from `source` (the template when none). */
export function functionDraft(source: string = FUNCTION_TEMPLATE): FunctionDraft {
  return { key: nextKey++, source };
}

export function parseFunctionDefinition(source: string): FunctionParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return { ok: false, error: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: 'Must be a JSON object with "name" and "parameters".' };
  // Accept the full tool form `{ "type": "function", "function": {...} }` too.
  const candidate = parsed as Record<string, unknown>;
  const definition = (candidate.type === 'function' && typeof candidate.function === 'object' && candidate.function !== null ? candidate.function : candidate) as Record<string, unknown>;
  const { name, description, parameters, strict } = definition;
  if (typeof name !== 'string' || name === '') return { ok: false, error: '"name" is required (a string).' };
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) return { ok: false, error: '"name" may only contain a–z, A–Z, 0–9, _ and -, at most 64 characters.' };
  if (description !== undefined && typeof description !== 'string') return { ok: false, error: '"description" must be a string.' };
  if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))) {
    return { ok: false, error: '"parameters" must be a JSON Schema object.' };
  }
  if (parameters && (parameters as Record<string, unknown>).type !== undefined && (parameters as Record<string, unknown>).type !== 'object') {
    return { ok: false, error: '"parameters.type" must be "object".' };
  }
  if (strict !== undefined && strict !== null && typeof strict !== 'boolean') return { ok: false, error: '"strict" must be true or false.' };
  const value: FunctionDefinition = { name };
  if (typeof description === 'string') value.description = description;
  if (parameters) value.parameters = parameters as Record<string, unknown>;
  if (typeof strict === 'boolean') value.strict = strict;
  return { ok: true, value };
}
