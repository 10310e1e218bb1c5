import * as tf from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { asTensor } from './tensor-info.js';

/**
 * `BatchMatMul` on wasm with transposed operands materialised first: the stock kernel sends only
 * untransposed operands to XNNPACK and runs a scalar loop otherwise. A transpose is a memory pass;
 * the scalar loop is ~20× slower than XNNPACK on the dense layers' gradients.
 */
export function makeBatchMatMulKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const fallback = stock();
    if (fallback === undefined) throw new Error('BatchMatMul (wasm): no stock kernel to call');
    const attrs = args.attrs as BatchMatMulAttrs;
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined)
      throw new Error('BatchMatMul (wasm): inputs a and b are required');
    if (!attrs.transposeA && !attrs.transposeB)
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
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
      return fallback.kernelFunc({
        ...args,
        inputs: { a: at, b: bt },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      } as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    } finally {
      if (at !== a) at.dispose();
      if (bt !== b) bt.dispose();
    }
  };
}
