/**
 * `npm run build`: the Electron main process and the trainer entry (ESM) and the preload (CommonJS,
 * as sandboxed preloads must be) into out/electron/, the renderer into out/renderer/ with the
 * renderer's own Vite settings. Dependencies stay in node_modules (externalized), so tfjs finds
 * its wasm and native files at run time.
 *
 * Every output file sits directly in out/electron/ (no chunks folder): main/ code locates files
 * like `../../package.json` and `../../assets/` relative to its module, and from out/electron/
 * those paths land on the app root, as they do from main/<folder>/ in the source tree.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, externalizeDepsPlugin, mergeConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config.js';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const outDir = here('out/electron');

export default defineConfig({
  main: {
    // playwright-core is a devDependency used only for headless PDF export, which the app replaces
    // with printToPDF; it stays an (unused) external instead of being bundled.
    plugins: [externalizeDepsPlugin({ include: ['playwright-core'] })],
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: true,
      rollupOptions: {
        input: { main: here('electron/main.ts'), trainer: here('electron/trainer-entry.ts') },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir,
      // The main build just filled this folder.
      emptyOutDir: false,
      sourcemap: true,
      rollupOptions: {
        input: { preload: here('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: mergeConfig(rendererConfig, {
    build: { rollupOptions: { input: here('renderer/index.html') } },
  }),
});
