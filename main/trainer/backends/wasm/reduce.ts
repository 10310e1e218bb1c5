import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedTensorInfoMap, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd/module.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * `Sum` / `Mean` over all leading axes of a float32 tensor (bias and BN gradients, BN's batch
 * statistics) with the project's compiled kernel; the stock kernels transpose the reduced axes
 * to the end first. Other reductions go to the stock kernel.
 */
export function makeLeadingAxesReduceKernel(
  kind: 'Sum' | 'Mean',
  stock: () => KernelConfig | undefined,
) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const x = args.inputs.x;
    if (x === undefined) throw new Error(`${kind} (wasm): input x is required`);
    const { axis, keepDims } = args.attrs as SumAttrs;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    const backend = asWasmBackend(args.backend, kind);
    const simd = simdKernels(backend);
    if (simd === null || x.dtype !== 'float32' || !leading) {
      const fallback = stock();
      if (fallback === undefined)
        throw new Error(`${kind} (wasm): no stock kernel to fall back to`);
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const cols = util.sizeFromShape(x.shape.slice(axes.length));
    const outShape = keepDims
      ? x.shape.map((d, i) => (i < axes.length ? 1 : d))
      : x.shape.slice(axes.length);
    const out = backend.makeOutput(outShape, 'float32');
    const acc = backend.wasm._malloc(cols * 8);
    try {
      simd.sum_rows(heapOffset(backend, x), heapOffset(backend, out), acc, rows, cols);
    } finally {
      backend.wasm._free(acc);
    }
    if (kind === 'Mean') {
      const v = backend.typedArrayFromHeap(out);
      for (let j = 0; j < v.length; j++) v[j] = (v[j] ?? 0) / rows;
    }
    return out;
  };
}
