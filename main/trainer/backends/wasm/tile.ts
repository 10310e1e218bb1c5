import { util } from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
  TileAttrs,
} from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

/**
 * `Tile` on wasm by block copies in the heap. The stock kernel computes every element's source
 * index with a scalar loop; BN's gradient tiles its per-channel terms to the full activation
 * shape four times per layer, which made Tile the top kernel of a BN training step.
 * Strings fall back to the stock kernel.
 */
export function makeTileKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const x = args.inputs.x;
    if (x === undefined) throw new Error('Tile (wasm): input x is required');
    if (x.dtype === 'string') {
      const fallback = stock();
      if (fallback === undefined) throw new Error('Tile (wasm): no stock kernel for strings');
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    const { reps } = args.attrs as TileAttrs;
    const backend = asWasmBackend(args.backend, 'Tile');
    const rank = x.shape.length;
    const outShape = x.shape.map((d, i) => d * (reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    if (util.sizeFromShape(outShape) === 0) return out;
    if (rank === 0) {
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
      return out;
    }
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    const xStrides = util.computeStrides(x.shape);
    const inner = x.shape[rank - 1] ?? 1;
    const innerReps = reps[rank - 1] ?? 1;
    const rowLen = inner * innerReps;
    // Walk the output's rows (all axes but the last); each row is the source row repeated.
    const idx = new Array<number>(rank - 1).fill(0);
    let o = 0;
    for (;;) {
      let src = 0;
      for (let d = 0; d < rank - 1; d++)
        src += ((idx[d] ?? 0) % (x.shape[d] ?? 1)) * (xStrides[d] ?? 0);
      const row = xv.subarray(src, src + inner);
      if (inner === 1) ov.fill(row[0] ?? 0, o, o + rowLen);
      else for (let r = 0; r < innerReps; r++) ov.set(row, o + r * inner);
      o += rowLen;
      let d = rank - 2;
      while (d >= 0) {
        idx[d] = (idx[d] ?? 0) + 1;
        if ((idx[d] ?? 0) < (outShape[d] ?? 0)) break;
        idx[d] = 0;
        d--;
      }
      if (d < 0) break;
    }
    return out;
  };
}
