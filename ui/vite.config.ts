import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The playground UI: built to ui/dist and served by Spool at `/` next to the `/v1` API. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite ui` during development: proxy the API to a locally running Spool.
    proxy: { '/v1': process.env.SPOOL_URL ?? 'http://127.0.0.1:8080' },
  },
});
