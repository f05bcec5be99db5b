#!/usr/bin/env node
// Builds the playground UI (ui/) into ui/dist with Vite's JS API. Run via `npm run build:ui`.
/* global process, console, URL */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const configFile = fileURLToPath(new URL('../ui/vite.config.ts', import.meta.url));

try {
  await build({ configFile, logLevel: process.env.CI ? 'warn' : 'info' });
} catch (error) {
  console.error('build:ui failed:', error instanceof Error ? error.message : error);
  process.exit(1);
}
