/**
 * Loads the project's SIMD kernels (kernels.c → kernels.wasm or kernels-relaxed.wasm, built by
 * scripts/build-wasm-kernels.sh; kernel-build.ts picks one) into the tfjs wasm backend's own memory, so kernels read and
 * write tensors in place: arguments are byte offsets from `dataIdMap`, no copies in or out.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm-backend.js';
import { selectedKernelBuild } from './kernel-build.js';

/**
 * A convolution's geometry as kernels.c takes it: batch, input height/width/channels, output
 * height/width/channels, filter height/width, strides, top and left padding.
 */
export type ConvGeometry = [
  n: number,
  h: number,
  w: number,
  cin: number,
  oh: number,
  ow: number,
  cout: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
];

/** A pooling window's geometry: as ConvGeometry without output channels (pooling keeps them). */
export type PoolGeometry = [
  n: number,
  h: number,
  w: number,
  c: number,
  oh: number,
  ow: number,
  fh: number,
  fw: number,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
];

/** The geometry arguments of a conv2d described by tfjs's Conv2DInfo. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** The geometry arguments of a 2-D pooling (same info type; its outChannels equal inChannels). */
export function poolGeometry(info: tf.backend_util.Conv2DInfo): PoolGeometry {
  const [n, h, w, c, oh, ow, , fh, fw, sh, sw, pt, pl] = convGeometry(info);
  return [n, h, w, c, oh, ow, fh, fw, sh, sw, pt, pl];
}

/** The exports of kernels.wasm and kernels-relaxed.wasm (the same functions); pointers are byte offsets into the tfjs heap. */
export interface SimdKernels {
  conv2d_backprop_filter(x: number, dy: number, dw: number, ...geometry: ConvGeometry): void;
  max_pool_grad(x: number, dy: number, dx: number, ...geometry: PoolGeometry): void;
  sum_rows(x: number, out: number, acc: number, rows: number, cols: number): void;
  /** `wt`: scratch of the filter's size for its transposed copy. */
  conv2d_backprop_input(
    dy: number,
    w: number,
    dx: number,
    wt: number,
    ...geometry: ConvGeometry
  ): void;
  transpose_2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
}

// WebAssembly's JS API, declared locally: the main tsconfig has no DOM lib.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const instances = new WeakMap<object, SimdKernels | null>();

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
    const { bytes } = selectedKernelBuild();
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
