/**
 * Builds the renderer into out/renderer/ with relative asset paths, so the same build is served by
 * Electron's custom protocol and by `bnlab serve`. No inline scripts or styles (strict CSP).
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
// eslint-disable-next-line no-restricted-imports -- the build config runs in Node, not in the renderer
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Inlined assets become data: URLs; keep everything as files for the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1000,
  },
});
