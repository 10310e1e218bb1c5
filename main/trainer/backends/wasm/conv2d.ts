import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs,
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd/module.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * The forward convolution with the project's SIMD kernel (kernels.c `conv2d_forward`: fused
 * multiply-add in the relaxed build) where it applies — NHWC, float32, stride 1, no dilation,
 * input and output channels multiples of 8 — else null. The first layer of a model (3 or 1 input
 * channels) stays with XNNPACK: with so few input channels the scatter loop does little work per
 * load.
 */
function conv2dSimd(
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
  backendArg: unknown,
): TensorInfo | null {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast' || x.dtype !== 'float32' || filter.dtype !== 'float32')
    return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  if (
    info.strideHeight !== 1 ||
    info.strideWidth !== 1 ||
    info.dilationHeight !== 1 ||
    info.dilationWidth !== 1 ||
    info.inChannels % 8 !== 0 ||
    info.outChannels % 8 !== 0 ||
    info.padInfo.top > info.filterHeight - 1 ||
    info.padInfo.left > info.filterWidth - 1
  )
    return null;
  const backend = asWasmBackend(backendArg, 'Conv2D');
  const simd = simdKernels(backend);
  if (simd === null) return null;
  const y = backend.makeOutput(info.outShape, 'float32');
  const scratch = backend.wasm._malloc(util.sizeFromShape(filter.shape) * 4);
  try {
    simd.conv2d_forward(
      heapOffset(backend, x),
      heapOffset(backend, filter),
      heapOffset(backend, y),
      scratch,
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.outChannels,
      info.filterHeight,
      info.filterWidth,
      info.padInfo.top,
      info.padInfo.left,
    );
  } finally {
    backend.wasm._free(scratch);
  }
  return y;
}

/** Kernel function for `Conv2D` on wasm: the compiled SIMD kernel, else the stock (XNNPACK) one. */
export function makeConv2dKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const { x, filter } = args.inputs;
    if (x === undefined || filter === undefined)
      throw new Error('Conv2D (wasm): inputs x and filter are required');
    const simd = conv2dSimd(x, filter, args.attrs as Conv2DAttrs, args.backend);
    if (simd !== null) return simd;
    const fallback = stock();
    if (fallback === undefined) throw new Error('Conv2D (wasm): no stock kernel to fall back to');
    return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
  };
}
