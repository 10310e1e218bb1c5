import { slice_util, util } from '@tensorflow/tfjs-core';
import type {
  NamedTensorInfoMap,
  SliceAttrs,
  TensorInfo,
  KernelConfig,
} from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

/**
 * `Slice` on wasm that copies only the window, straight from the heap. The stock kernel reads the
 * whole input out of the heap (readSync) before cutting, which dominates for big activations.
 * Strings fall back to the stock kernel.
 */
export function makeSliceKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const x = args.inputs.x;
    if (x === undefined) throw new Error('Slice (wasm): input x is required');
    const attrs = args.attrs as SliceAttrs;
    if (x.dtype === 'string') {
      const fallback = stock();
      if (fallback === undefined) throw new Error('Slice (wasm): no stock kernel for strings');
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    const backend = asWasmBackend(args.backend, 'Slice');
    const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [
      number[],
      number[],
    ];
    const out = backend.makeOutput(size, x.dtype);
    if (util.sizeFromShape(size) === 0) return out;
    // Views are taken after makeOutput: allocating can grow (and detach) the heap.
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const strides = util.computeStrides(x.shape);
    const rank = x.shape.length;
    if (slice_util.isSliceContinous(x.shape, begin, size)) {
      const off = slice_util.computeFlatOffset(begin, strides);
      ov.set(xv.subarray(off, off + ov.length));
      return out;
    }
    // Copy contiguous runs of the innermost dimension, walking the outer ones like an odometer.
    const inner = size[rank - 1] ?? 1;
    const idx = new Array<number>(rank - 1).fill(0);
    let o = 0;
    for (;;) {
      let off = begin[rank - 1] ?? 0;
      for (let d = 0; d < rank - 1; d++)
        off += ((begin[d] ?? 0) + (idx[d] ?? 0)) * (strides[d] ?? 0);
      ov.set(xv.subarray(off, off + inner), o);
      o += inner;
      let d = rank - 2;
      while (d >= 0) {
        idx[d] = (idx[d] ?? 0) + 1;
        if ((idx[d] ?? 0) < (size[d] ?? 0)) break;
        idx[d] = 0;
        d--;
      }
      if (d < 0) break;
    }
    return out;
  };
}
