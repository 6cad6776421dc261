// Builds the analysts' dashboard to dist/dashboard, which the api serves at `/`.
// The output must satisfy the api's Content-Security-Policy: no inline script or style, every asset
// (fonts included) a file of this deployment.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    // Fonts and images as files, never data: URIs; no inline module-preload helper.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      // Libraries marked "use client" for server-rendering frameworks; a plain client bundle ignores it.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
  logLevel: 'warn',
});
