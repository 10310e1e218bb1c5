import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './wasm-backend.js';

/**
 * `Identity` on wasm shares the input's data (one more reference) instead of copying it, as the
 * cpu backend does and as wasm's own Reshape does. The engine calls it for every tensor it saves
 * for the backward pass (≈ 40 per training step of the simple CNN), where the stock kernel copied
 * each activation. Safe because no kernel writes into its inputs: tensors are immutable and a
 * variable's `assign` takes a new data id. Strings keep the stock kernel.
 */
export function makeIdentityKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const { x } = args.inputs;
    if (x === undefined) throw new Error('Identity (wasm): input x is required');
    if (x.dtype === 'string') {
      const fallback = stock();
      if (fallback === undefined) throw new Error('Identity (wasm): no stock kernel for strings');
      return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
    }
    asWasmBackend(args.backend, 'Identity').incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
