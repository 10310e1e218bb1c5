import { util } from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
  TransposeAttrs,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd/module.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * A permutation that swaps two adjacent groups of axes after a common prefix,
 * [0..k−1, m..r−1, k..m−1], is a batch of matrix transposes: (batch, rows, cols) sizes, or null.
 */
export function asBatchedMatrixTranspose(
  shape: readonly number[],
  perm: readonly number[],
): [number, number, number] | null {
  const r = perm.length;
  let k = 0;
  while (k < r && perm[k] === k) k++;
  if (k === r) return null;
  const m = perm[k] ?? 0;
  if (m <= k) return null;
  for (let i = k; i < r; i++) {
    const want = i - k < r - m ? m + (i - k) : k + (i - k - (r - m));
    if (perm[i] !== want) return null;
  }
  return [
    util.sizeFromShape(shape.slice(0, k)),
    util.sizeFromShape(shape.slice(k, m)),
    util.sizeFromShape(shape.slice(m)),
  ];
}

/**
 * `Transpose` on wasm: batched matrix transposes (a dense layer's weights, [1,0] or [0,2,1]) by
 * the project's 4×4-block SIMD kernel; other permutations go to the stock kernel.
 */
export function makeTransposeKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const x = args.inputs.x;
    if (x === undefined) throw new Error('Transpose (wasm): input x is required');
    const { perm } = args.attrs as TransposeAttrs;
    const backend = asWasmBackend(args.backend, 'Transpose');
    const simd = simdKernels(backend);
    const plan =
      x.dtype === 'float32' || x.dtype === 'int32' ? asBatchedMatrixTranspose(x.shape, perm) : null;
    if (plan === null || simd === null) {
      const fallback = stock();
      if (fallback === undefined)
        throw new Error('Transpose (wasm): no stock kernel to fall back to');
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p] ?? 1),
      x.dtype,
    );
    // Moves 32-bit words only, so int32 is transposed exactly like float32.
    simd.transpose_2d(heapOffset(backend, x), heapOffset(backend, out), ...plan);
    return out;
  };
}
