/** Browser-side settings: the API key and the threads this browser has opened (localStorage), and the admin key (this tab only). */

const API_KEY = 'spool.apiKey';
const THREADS = 'spool.threads';
const MAX_REMEMBERED_THREADS = 50;

export interface RememberedThread {
  id: string;
  created_at: number;
  assistant_id?: string;
  title?: string;
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, sandboxed iframe)
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Ignore: settings then only last for this page load.
  }
}

export function getApiKey(): string {
  return read(API_KEY) ?? '';
}

export function setApiKey(key: string): void {
  write(API_KEY, key.trim() === '' ? null : key.trim());
}

const ADMIN_KEY = 'spool.adminKey';

/**
 * The admin key (`SPOOL_ADMIN_KEY`) the usage and projects screens send; separate from the API key. It can
 * create keys for any project, so it lasts for this browser tab only (sessionStorage), never on disk.
 */
export function getAdminKey(): string {
  try {
    return window.sessionStorage.getItem(ADMIN_KEY) ?? '';
  } catch {
    return '';
  }
}

export function setAdminKey(key: string): void {
  try {
    if (key.trim() === '') window.sessionStorage.removeItem(ADMIN_KEY);
    else window.sessionStorage.setItem(ADMIN_KEY, key.trim());
  } catch {
    // Ignore: the key then lasts for this page load only.
  }
}

// Earlier versions kept the admin key in localStorage: it must not stay on disk.
write(ADMIN_KEY, null);

/** The Authorization header with the admin key, when one is set (else the API key's is sent). */
export function adminHeaders(): Record<string, string> {
  const key = getAdminKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

export function getRememberedThreads(): RememberedThread[] {
  const raw = read(THREADS);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter((t): t is RememberedThread => typeof t === 'object' && t !== null && typeof (t as RememberedThread).id === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Adds or updates a thread (merging fields), most recent first. */
export function rememberThread(thread: RememberedThread): void {
  const existing = getRememberedThreads();
  const previous = existing.find((t) => t.id === thread.id);
  const merged: RememberedThread = { ...previous, ...thread };
  if (!thread.title && previous?.title) merged.title = previous.title;
  const rest = existing.filter((t) => t.id !== thread.id);
  write(THREADS, JSON.stringify([merged, ...rest].slice(0, MAX_REMEMBERED_THREADS)));
}

export function forgetThread(id: string): void {
  write(THREADS, JSON.stringify(getRememberedThreads().filter((t) => t.id !== id)));
}
