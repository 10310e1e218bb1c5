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
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, externalizeDepsPlugin, mergeConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer/vite.config.js';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const outDir = here('out/electron');

/**
 * Files main/ code reads beside its own module (`new URL('./kernels.wasm', import.meta.url)`);
 * bundled, that module is out/electron/<chunk>.js, so the files are copied there.
 */
const BESIDE_MODULE = ['main/trainer/backends/wasm/simd/kernels.wasm'];

function copyBesideBundle(files: readonly string[]): Plugin {
  return {
    name: 'bnlab:copy-beside-bundle',
    generateBundle() {
      for (const file of files) {
        this.emitFile({
          type: 'asset',
          fileName: path.basename(file),
          source: readFileSync(here(file)),
        });
      }
    },
  };
}

export default defineConfig({
  main: {
    // playwright-core is a devDependency used only for headless PDF export, which the app replaces
    // with printToPDF; it stays an (unused) external instead of being bundled.
    plugins: [
      externalizeDepsPlugin({ include: ['playwright-core'] }),
      copyBesideBundle(BESIDE_MODULE),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: true,
      rollupOptions: {
        input: {
          main: here('electron/main.ts'),
          trainer: here('electron/trainer-entry.ts'),
          // Backend probes run in short-lived child processes (main/trainer/backends/probe-isolated.ts).
          'probe-child': here('main/trainer/backends/probe-child.ts'),
        },
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
        input: {
          preload: here('electron/preload.ts'),
          'gpu-trainer-preload': here('electron/gpu-trainer-preload.ts'),
        },
        // Two preloads that share nothing but `electron` (external), so no chunk is split off: a
        // sandboxed preload cannot load one. (inlineDynamicImports allows a single input only.)
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mergeConfig(rendererConfig, {
    build: { rollupOptions: { input: here('renderer/index.html') } },
  }),
});
