/**
 * Where tfjs's wasm binaries are. From the sources tfjs finds them in its own package; in the
 * bundled app (electron.vite.config.ts) tfjs's code is inside the bundle and the binaries are
 * copied beside it, so tfjs is pointed there — inside the app's archive, with no node_modules.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder (ending in a separator) of bundled wasm binaries beside `moduleUrl`, or null. */
export function bundledWasmDir(moduleUrl: string = import.meta.url): string | null {
  const dir = new URL('./', moduleUrl);
  return existsSync(new URL('tfjs-backend-wasm.wasm', dir)) ? fileURLToPath(dir) : null;
}
