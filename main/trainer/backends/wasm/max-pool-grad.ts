import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  MaxPoolGradAttrs,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { poolGeometry, simdKernels } from './simd/module.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * `MaxPoolGrad` on wasm with the project's compiled kernel: one pass over the windows, the
 * gradient going to each window's first maximum (tfjs's cpu rule). The stock kernel took ~60 ms
 * per step on the simple CNN's first pooling layer.
 */
export function makeMaxPoolGradKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const { dy, input } = args.inputs;
    if (dy === undefined || input === undefined)
      throw new Error('MaxPoolGrad (wasm): inputs dy and input are required');
    const backend = asWasmBackend(args.backend, 'MaxPoolGrad');
    const simd = simdKernels(backend);
    if (simd === null) {
      const fallback = stock();
      if (fallback === undefined)
        throw new Error('MaxPoolGrad (wasm): no stock kernel to fall back to');
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    const attrs = args.attrs as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const dx = backend.makeOutput(input.shape, 'float32');
    simd.max_pool_grad(
      heapOffset(backend, input),
      heapOffset(backend, dy),
      heapOffset(backend, dx),
      ...poolGeometry(info),
    );
    return dx;
  };
}
