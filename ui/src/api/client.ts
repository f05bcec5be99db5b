/**
 * The playground's only way to talk to Spool: same-origin `fetch` against the public `/v1` API,
 * with the Assistants v2 beta header and the user's API key (if any).
 */
import { getApiKey } from './settings.js';
import { readSse } from './sse.js';
import type { ApiList, FileObject } from './types.js';

export class ApiError extends Error {
  readonly status: number;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;

  constructor(message: string, status: number, details: { type?: string | null; code?: string | null; param?: string | null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = details.type ?? null;
    this.code = details.code ?? null;
    this.param = details.param ?? null;
  }
}

/** A readable one-line description of any thrown value, for error banners. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const status = error.status > 0 ? ` (HTTP ${error.status}${error.code ? `, ${error.code}` : ''})` : '';
    return `${error.message}${status}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const result: Record<string, string> = { 'OpenAI-Beta': 'assistants=v2', ...extra };
  const key = getApiKey();
  // A caller's own Authorization (the admin key, for usage) wins.
  if (key && !result.Authorization) result.Authorization = `Bearer ${key}`;
  return result;
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string; type?: string; code?: string; param?: string } };
    if (body.error?.message) return new ApiError(body.error.message, response.status, body.error);
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError(snippet || `${response.status} ${response.statusText || 'request failed'}`, response.status);
}

async function send(method: string, path: string, init: { body?: BodyInit; json?: unknown; signal?: AbortSignal; accept?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const extra: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    extra['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.accept) extra.Accept = init.accept;
  let response: Response;
  try {
    response = await fetch(`/v1${path}`, { method, headers: headers(extra), body, signal: init.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(`Could not reach the Spool server (${method} /v1${path}). Is it running?`, 0);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

async function json<T>(method: string, path: string, payload?: unknown, signal?: AbortSignal, extraHeaders?: Record<string, string>): Promise<T> {
  const response = await send(method, path, { json: payload, signal, headers: extraHeaders });
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(`The server sent a response that is not JSON (${method} /v1${path}).`, response.status);
  }
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal, extraHeaders?: Record<string, string>) => json<T>('GET', path, undefined, signal, extraHeaders),
  post: <T>(path: string, payload: unknown = {}, signal?: AbortSignal, extraHeaders?: Record<string, string>) => json<T>('POST', path, payload, signal, extraHeaders),
  delete: <T = { id: string; deleted: boolean }>(path: string, extraHeaders?: Record<string, string>) => json<T>('DELETE', path, undefined, undefined, extraHeaders),
};

/** Fetches every page of a list endpoint (`after` = last id), up to `max` items. */
export async function listAll<T extends { id: string }>(path: string, max = 500, signal?: AbortSignal, extraHeaders?: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api.get<ApiList<T>>(`${path}${separator}limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, signal, extraHeaders);
    items.push(...page.data);
    const last = page.data[page.data.length - 1];
    if (!page.has_more || !last || items.length >= max) return items;
    after = last.id;
  }
}

/** Multipart upload to `POST /v1/files`. */
export async function uploadFile(file: File, purpose = 'assistants'): Promise<FileObject> {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', file, file.name);
  const response = await send('POST', '/files', { body: form });
  return (await response.json()) as FileObject;
}

/** Where a File's bytes are, or a container file's (the code interpreter of responses writes those). */
export function contentPath(fileId: string, containerId?: string): string {
  const file = encodeURIComponent(fileId);
  return containerId ? `/containers/${encodeURIComponent(containerId)}/files/${file}/content` : `/files/${file}/content`;
}

/** Downloads content under `/v1` (e.g. {@link contentPath}) with auth and returns an object URL (caller revokes it). */
export async function contentObjectUrl(path: string): Promise<string> {
  const response = await send('GET', path);
  return URL.createObjectURL(await response.blob());
}

const fileCache = new Map<string, Promise<FileObject>>();

/** `GET /v1/files/{id}`, cached for the page's lifetime (filenames never change). */
export function getFileInfo(fileId: string): Promise<FileObject> {
  let cached = fileCache.get(fileId);
  if (!cached) {
    cached = api.get<FileObject>(`/files/${encodeURIComponent(fileId)}`);
    cached.catch(() => fileCache.delete(fileId));
    fileCache.set(fileId, cached);
  }
  return cached;
}

/**
 * Starts a download of a file's content under its original filename; a container file (`container` given)
 * under the name its link showed.
 */
export async function downloadFile(fileId: string, container?: { containerId: string; filename: string }): Promise<void> {
  const [url, info] = await Promise.all([contentObjectUrl(contentPath(fileId, container?.containerId)), container ? null : getFileInfo(fileId).catch(() => null)]);
  const link = document.createElement('a');
  link.href = url;
  link.download = container?.filename ?? info?.filename.split('/').pop() ?? fileId;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Calls `onEvent` for each SSE event of `response` until `done`; a stream-level `error` event is thrown as an ApiError. */
async function readEvents(response: Response, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  if (!response.body) throw new ApiError('The server returned no stream body.', response.status);
  for await (const message of readSse(response.body, signal)) {
    if (message.data === '[DONE]' || message.event === 'done') return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      data = message.data;
    }
    if (message.event === 'error') {
      // An Assistants stream nests the error; a Responses stream's `error` event carries it at the top.
      const body = (data ?? {}) as { error?: { message?: string; code?: string; type?: string }; message?: string; code?: string };
      const error = body.error ?? { message: body.message, code: body.code };
      throw new ApiError(error.message ?? 'The stream reported an error.', response.status, error);
    }
    onEvent({ event: message.event, data });
  }
}

/** POSTs a streaming request (`stream: true`) and calls `onEvent` for each SSE event. */
export async function postStream(path: string, payload: Record<string, unknown>, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  const response = await send('POST', path, { json: { ...payload, stream: true }, signal, accept: 'text/event-stream' });
  await readEvents(response, onEvent, signal);
}

/** GETs a stream (`path` asks for one, e.g. `?stream=true`) and calls `onEvent` for each SSE event. */
export async function getStream(path: string, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  const response = await send('GET', path, { signal, accept: 'text/event-stream' });
  await readEvents(response, onEvent, signal);
}
