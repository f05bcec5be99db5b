/**
 * Serves the built playground UI (`ui/dist`) from the API's own port.
 *
 * Mount it after the API routes (`app.use('*', serveUi(resolveUiDistDir()))`): it only answers
 * GET/HEAD requests outside the API prefixes, serves files from the dist directory, and falls back
 * to `index.html` for unknown paths that do not look like assets (the UI routes in the hash, but
 * this keeps deep links and reloads working). Everything else is passed on with `next()`.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, MiddlewareHandler } from 'hono';

export interface ServeUiOptions {
  /** Path prefixes never served by the UI (matched as `/prefix` or `/prefix/...`). */
  passthroughPrefixes?: readonly string[];
}

const DEFAULT_PASSTHROUGH = ['/v1', '/healthz'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** Hashed build output never changes under the same name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Spool</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Spool is running</h1>
<p>The web UI is not built, so there is nothing to show here. Build it with <code>npm run build:ui</code> and reload this page.</p>
<p>The API is available at <code>/v1</code>.</p>
</body></html>
`;

function isPassthrough(pathname: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** The request path as a safe relative file path inside the dist directory, or null if it escapes it. */
function toRelativeFile(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const normalized = path.posix.normalize(decoded);
  if (normalized.split('/').includes('..')) return null;
  return normalized.replace(/^\/+/, '');
}

/** Paths that name a file (`/assets/...`, or a last segment with an extension) get a 404 rather than index.html. */
function looksLikeAsset(relative: string): boolean {
  return relative.startsWith('assets/') || /\.[a-z0-9]+$/i.test(relative.split('/').pop() ?? '');
}

async function fileInfo(file: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

async function sendFile(c: Context, file: string, info: { size: number; mtimeMs: number }, cacheControl: string): Promise<Response> {
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': cacheControl,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers['Content-Length'] = String(info.size);
  if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
  return new Response(await readFile(file), { status: 200, headers });
}

/**
 * Hono middleware serving the UI from `distDir` (usually {@link resolveUiDistDir}). The directory is
 * checked per request, so building the UI while the server runs needs no restart.
 */
export function serveUi(distDir: string, options: ServeUiOptions = {}): MiddlewareHandler {
  const root = path.resolve(distDir);
  const prefixes = options.passthroughPrefixes ?? DEFAULT_PASSTHROUGH;

  return async function serveUiMiddleware(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const pathname = new URL(c.req.url).pathname;
    if (isPassthrough(pathname, prefixes)) return next();

    const relative = toRelativeFile(pathname);
    if (relative === null) return c.text('Bad Request', 400);

    const index = path.join(root, 'index.html');
    const indexInfo = await fileInfo(index);

    if (relative !== '' && relative !== 'index.html') {
      const file = path.join(root, relative);
      if (file.startsWith(root + path.sep)) {
        const info = await fileInfo(file);
        if (info) return sendFile(c, file, info, relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
      }
      if (looksLikeAsset(relative)) return c.text('Not Found', 404, { 'Cache-Control': REVALIDATE });
    }

    if (!indexInfo) {
      return c.html(c.req.method === 'HEAD' ? '' : NOT_BUILT_PAGE, 503, { 'Cache-Control': REVALIDATE });
    }
    return sendFile(c, index, indexInfo, REVALIDATE);
  };
}

/**
 * Finds `<package root>/ui/dist`, walking up from this module (works from `src/ui/` under tsx or
 * vitest and from the compiled `dist/ui/`) until a directory with a `package.json` is found.
 */
export function resolveUiDistDir(from: string | URL = import.meta.url): string {
  let directory = path.dirname(typeof from === 'string' && !from.startsWith('file:') ? path.resolve(from) : fileURLToPath(from));
  for (;;) {
    if (existsSync(path.join(directory, 'package.json'))) return path.join(directory, 'ui', 'dist');
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`resolveUiDistDir: no package.json above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}
