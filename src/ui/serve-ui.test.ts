import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUiDistDir, serveUi } from './serve-ui.js';

let dist: string;

function appFor(distDir: string): Hono {
  const app = new Hono();
  app.get('/v1/assistants', (c) => c.json({ object: 'list', data: [] }));
  app.get('/healthz', (c) => c.text('ok'));
  app.use('*', serveUi(distDir));
  return app;
}

beforeAll(() => {
  dist = mkdtempSync(path.join(tmpdir(), 'spool-ui-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Spool</title><div id="root"></div>');
  writeFileSync(path.join(dist, 'assets', 'index-AbC123.js'), 'console.log("안녕")');
  writeFileSync(path.join(dist, 'assets', 'index-AbC123.css'), 'body{}');
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('serveUi', () => {
  it('serves index.html at / without caching', async () => {
    const response = await appFor(dist).request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<div id="root">');
  });

  it('serves hashed assets with a long immutable cache and the right content type', async () => {
    const app = appFor(dist);
    const js = await app.request('/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("안녕")');
    const css = await app.request('/assets/index-AbC123.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await app.request('/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for unknown non-asset paths, 404 for missing assets', async () => {
    const app = appFor(dist);
    const deep = await app.request('/threads/thread_123');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect((await app.request('/assets/missing-xyz.js')).status).toBe(404);
    expect((await app.request('/missing.png')).status).toBe(404);
  });

  it('never touches /v1 or /healthz, and passes other methods on', async () => {
    const app = appFor(dist);
    const list = await app.request('/v1/assistants');
    expect(await list.json()).toEqual({ object: 'list', data: [] });
    const unknownApi = await app.request('/v1/nope');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.text()).not.toContain('<div id="root">');
    expect(await (await app.request('/healthz')).text()).toBe('ok');
    const post = await app.request('/', { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.text()).not.toContain('<div id="root">');
  });

  it('answers HEAD with headers and no body', async () => {
    const response = await appFor(dist).request('/assets/index-AbC123.js', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength('console.log("안녕")')));
    expect(await response.text()).toBe('');
  });

  it('answers 304 for a matching ETag', async () => {
    const app = appFor(dist);
    const first = await app.request('/');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await app.request('/', { headers: { 'If-None-Match': etag ?? '' } });
    expect(second.status).toBe(304);
  });

  it('does not serve files outside the dist directory', async () => {
    const outside = path.join(path.dirname(dist), `${path.basename(dist)}-secret.txt`);
    writeFileSync(outside, 'secret');
    try {
      const app = appFor(dist);
      for (const attempt of [`/..%2f${path.basename(outside)}`, `/%2e%2e/${path.basename(outside)}`, '/assets/..%5c..%5csecret.txt', '/%00.js']) {
        const response = await app.request(attempt);
        expect(await response.text()).not.toBe('secret');
        expect(response.status).toBeGreaterThanOrEqual(400);
      }
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('explains how to build the UI when ui/dist is missing', async () => {
    const app = appFor(path.join(dist, 'does-not-exist'));
    const response = await app.request('/');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('npm run build:ui');
    expect((await app.request('/v1/assistants')).status).toBe(200);
  });
});

describe('resolveUiDistDir', () => {
  it('finds ui/dist next to the package.json from src/ and from a compiled dist/ location', () => {
    const fromSource = resolveUiDistDir();
    expect(fromSource.endsWith(path.join('ui', 'dist'))).toBe(true);
    expect(existsSync(path.join(fromSource, '..', '..', 'package.json'))).toBe(true);
    const packageRoot = path.resolve(fromSource, '..', '..');
    expect(resolveUiDistDir(path.join(packageRoot, 'dist', 'ui', 'serve-ui.js'))).toBe(fromSource);
    expect(resolveUiDistDir(new URL(`file://${path.join(packageRoot, 'src', 'ui', 'serve-ui.ts')}`))).toBe(fromSource);
  });
});
