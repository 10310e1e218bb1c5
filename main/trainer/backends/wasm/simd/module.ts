/**
 * Loads the project's SIMD kernels (kernels.c → kernels.wasm, built by
 * scripts/build-wasm-kernels.sh) into the tfjs wasm backend's own memory, so kernels read and
 * write tensors in place: arguments are byte offsets from `dataIdMap`, no copies in or out.
 */
import { readFileSync } from 'node:fs';
import type { WasmBackendLike } from '../wasm-backend.js';

/** The exports of kernels.wasm; pointers are byte offsets into the tfjs heap. */
export interface SimdKernels {
  conv2d_backprop_filter(
    x: number,
    dy: number,
    dw: number,
    n: number,
    h: number,
    w: number,
    cin: number,
    ohN: number,
    owN: number,
    cout: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  max_pool_grad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    ohN: number,
    owN: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  sum_rows(x: number, out: number, acc: number, rows: number, cols: number): void;
  conv2d_backprop_input(
    dy: number,
    w: number,
    dx: number,
    wt: number,
    n: number,
    h: number,
    wd: number,
    cin: number,
    ohN: number,
    owN: number,
    cout: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
  transpose_2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
}

// WebAssembly's JS API, declared locally: the main tsconfig has no DOM lib.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const instances = new WeakMap<object, SimdKernels | null>();
let bytes: Uint8Array | null = null;

/**
 * The SIMD kernels bound to this backend's heap (instantiated once per heap), or null where they
 * cannot run — the module does not expose its memory, or the memory is shared (tfjs's threaded
 * build, which only browsers with cross-origin isolation load). Callers then take their
 * op-level path or the stock kernel, so training still works, only slower.
 */
export function simdKernels(backend: WasmBackendLike): SimdKernels | null {
  const memory = (backend.wasm as { asm?: { memory?: object } }).asm?.memory;
  if (memory === undefined) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let kernels: SimdKernels | null = null;
  try {
    bytes ??= readFileSync(new URL('./kernels.wasm', import.meta.url));
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    kernels = new api.Instance(new api.Module(bytes), { env: { memory } })
      .exports as unknown as SimdKernels;
  } catch (error) {
    console.warn(
      `wasm SIMD training kernels unavailable, using slower fallbacks: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  instances.set(memory, kernels);
  return kernels;
}
