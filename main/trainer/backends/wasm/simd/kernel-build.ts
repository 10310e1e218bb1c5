/**
 * Which build of the project's SIMD kernels runs: kernels-relaxed.wasm (relaxed SIMD, fused
 * multiply-add) where the runtime validates it, else kernels.wasm (SIMD128). Both are built from
 * kernels.c by scripts/build-wasm-kernels.sh.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export type KernelBuild = 'relaxed' | 'simd128';

// Literal `new URL('./…', import.meta.url)` calls: the Electron build copies these files beside
// the bundle (electron.vite.config.ts), where the same relative URLs resolve.
const FILES: Record<KernelBuild, () => URL> = {
  relaxed: () => new URL('./kernels-relaxed.wasm', import.meta.url),
  simd128: () => new URL('./kernels.wasm', import.meta.url),
};

/**
 * `BNLAB_WASM_KERNELS`: `auto` (default) picks relaxed where it validates; `relaxed` or `simd128`
 * force one build (tests exercise both; the bench compares them). Forcing `relaxed` on a runtime
 * without it is an error, not a silent fallback.
 */
const Choice = z.enum(['auto', 'relaxed', 'simd128']).default('auto');

/** V8 flag that enables relaxed SIMD before V8 11.4 (Node 20); later V8s ship it by default. */
export const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Flags a Node child process of this runtime needs to validate the relaxed build: the flag on
 * V8 < 11.4 (Node 20), nothing on later V8s (Node 22+, Electron 38), where relaxed SIMD ships
 * by default and an unknown flag could stop the child from starting.
 */
export function relaxedSimdExecArgv(v8Version: string = process.versions.v8): string[] {
  const [major = 0, minor = 0] = v8Version.split('.').map(Number);
  return major < 11 || (major === 11 && minor < 4) ? [RELAXED_SIMD_FLAG] : [];
}

// WebAssembly's JS API, declared locally: the main tsconfig has no DOM lib.
const wasmApi = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } })
  .WebAssembly;

const bytesOf = new Map<KernelBuild, Uint8Array>();
function kernelBytes(build: KernelBuild): Uint8Array {
  let bytes = bytesOf.get(build);
  if (bytes === undefined) {
    bytes = readFileSync(FILES[build]());
    bytesOf.set(build, bytes);
  }
  return bytes;
}

let chosen: { build: KernelBuild; bytes: Uint8Array } | undefined;

/** The build this process uses and its bytes (decided once per process). */
export function selectedKernelBuild(): { build: KernelBuild; bytes: Uint8Array } {
  if (chosen !== undefined) return chosen;
  const parsed = Choice.safeParse(process.env.BNLAB_WASM_KERNELS || undefined);
  if (!parsed.success)
    throw new Error(
      `BNLAB_WASM_KERNELS must be auto, relaxed or simd128, got "${process.env.BNLAB_WASM_KERNELS}"`,
    );
  const relaxedOk = wasmApi.validate(kernelBytes('relaxed'));
  if (parsed.data === 'relaxed' && !relaxedOk)
    throw new Error(
      `BNLAB_WASM_KERNELS=relaxed, but this runtime (V8 ${process.versions.v8}) does not validate ` +
        `relaxed SIMD; start Node with ${RELAXED_SIMD_FLAG}`,
    );
  const build: KernelBuild =
    parsed.data === 'simd128' ? 'simd128' : relaxedOk ? 'relaxed' : 'simd128';
  chosen = { build, bytes: kernelBytes(build) };
  return chosen;
}
