import * as tf from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd/module.js';
import { asTensor } from './tensor-info.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

type KernelArgs = { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown };

/**
 * c = op(a)·b with the project's SIMD kernel (kernels.c `mat_mul`) for 2-D float32 operands, b
 * untransposed with a column count that is a multiple of 8; null where it does not apply. The
 * dense layers' products (4096×512 weights) run here: XNNPACK repacks the weights at every call,
 * and their gradients would otherwise need a materialised transpose of a.
 */
function matMulSimd(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  backendArg: unknown,
): TensorInfo | null {
  if (a.shape.length !== 2 || b.shape.length !== 2) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [k, n] = b.shape as [number, number];
  const m = transposeA ? (a.shape[1] ?? 0) : (a.shape[0] ?? 0);
  const ka = transposeA ? a.shape[0] : a.shape[1];
  if (ka !== k || n % 8 !== 0 || m === 0 || k === 0) return null;
  const backend = asWasmBackend(backendArg, 'BatchMatMul');
  const simd = simdKernels(backend);
  if (simd === null) return null;
  const c = backend.makeOutput([m, n], 'float32');
  simd.mat_mul(
    heapOffset(backend, a),
    heapOffset(backend, b),
    heapOffset(backend, c),
    m,
    k,
    n,
    transposeA ? 1 : 0,
  );
  return c;
}

/**
 * `BatchMatMul` on wasm: the project's SIMD kernel where it applies (op(a)·b, 2-D), else the stock
 * kernel (XNNPACK) with transposed operands materialised first: the stock kernel sends only
 * untransposed operands to XNNPACK and runs a scalar loop otherwise, ~20× slower on the dense
 * layers' gradients.
 */
export function makeBatchMatMulKernel(stock: () => KernelConfig | undefined) {
  const callStock = (args: KernelArgs): TensorInfo => {
    const fallback = stock();
    if (fallback === undefined) throw new Error('BatchMatMul (wasm): no stock kernel to call');
    return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
  };
  return (args: KernelArgs): TensorInfo => {
    const attrs = args.attrs as BatchMatMulAttrs;
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined)
      throw new Error('BatchMatMul (wasm): inputs a and b are required');
    if (!attrs.transposeB) {
      const simd = matMulSimd(a, b, attrs.transposeA, args.backend);
      if (simd !== null) return simd;
    }
    if (!attrs.transposeA && !attrs.transposeB) return callStock(args);
    const swapLast = (t: tf.Tensor): tf.Tensor => {
      const perm = t.shape.map((_, i) => i);
      const n = perm.length;
      [perm[n - 2], perm[n - 1]] = [n - 1, n - 2];
      return tf.transpose(t, perm);
    };
    // A·Bᵀ with a big B (a dense layer's weights in the input gradient): (B·Aᵀ)ᵀ transposes the
    // two small matrices instead of the big one. 2-D only; the result is the same product.
    const sizeA = a.shape.reduce((p, d) => p * d, 1);
    const sizeB = b.shape.reduce((p, d) => p * d, 1);
    const m = a.shape[a.shape.length - 2] ?? 1;
    const n = b.shape[b.shape.length - 2] ?? 1;
    if (
      attrs.transposeB &&
      !attrs.transposeA &&
      a.shape.length === 2 &&
      b.shape.length === 2 &&
      sizeB > sizeA + m * n
    ) {
      return tf.tidy(() => tf.transpose(tf.matMul(asTensor(b), asTensor(a), false, true)));
    }
    const at = attrs.transposeA ? swapLast(asTensor(a)) : asTensor(a);
    const bt = attrs.transposeB ? swapLast(asTensor(b)) : asTensor(b);
    try {
      return (
        matMulSimd(at, bt, false, args.backend) ??
        callStock({
          ...args,
          inputs: { a: at, b: bt },
          attrs: { ...attrs, transposeA: false, transposeB: false },
        })
      );
    } finally {
      if (at !== a) at.dispose();
      if (bt !== b) bt.dispose();
    }
  };
}
