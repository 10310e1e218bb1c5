import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropInputAttrs,
  KernelConfig,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { convGeometry, simdKernels } from './simd/module.js';
import { asTensor } from './tensor-info.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * dx of a stride-1 convolution as an ordinary conv2d of dy with the spatially flipped filter
 * (in/out channels swapped); XNNPACK runs that, while the stock wasm kernel is a scalar loop.
 * Returns null where this rewrite does not apply (strides > 1, NCHW, padding beyond the filter),
 * and the caller falls back to the stock kernel.
 */
export function conv2dBackpropInputViaConv(
  dyInfo: TensorInfo,
  filterInfo: TensorInfo,
  attrs: Conv2DBackpropInputAttrs,
): tf.Tensor4D | null {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') return null;
  const filter = asTensor(filterInfo) as tf.Tensor4D;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const { top, bottom, left, right } = info.padInfo;
  const fh = info.filterHeight;
  const fw = info.filterWidth;
  const pads = [fh - 1 - top, fh - 1 - bottom, fw - 1 - left, fw - 1 - right];
  if (pads.some((p) => p < 0)) return null;
  const dy = asTensor(dyInfo) as tf.Tensor4D;
  return tf.tidy(() => {
    const flipped = tf.transpose<tf.Tensor4D>(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const [pt = 0, pb = 0, pl = 0, pr = 0] = pads;
    return tf.conv2d(
      dy,
      flipped,
      1,
      [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ],
      'NHWC',
    );
  });
}

/**
 * dx with the project's compiled SIMD kernel (any stride and padding, NHWC, float32, input
 * channels a multiple of 8); null where it does not apply.
 */
function conv2dBackpropInputSimd(
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DBackpropInputAttrs,
  backendArg: unknown,
): TensorInfo | null {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const cin = attrs.inputShape[3];
  if (
    dataFormat !== 'channelsLast' ||
    cin % 8 !== 0 ||
    dy.dtype !== 'float32' ||
    filter.dtype !== 'float32'
  )
    return null;
  const backend = asWasmBackend(backendArg, 'Conv2DBackpropInput');
  const simd = simdKernels(backend);
  if (simd === null) return null;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput(attrs.inputShape, 'float32');
  const scratch = backend.wasm._malloc(util.sizeFromShape(filter.shape) * 4);
  try {
    simd.conv2d_backprop_input(
      heapOffset(backend, dy),
      heapOffset(backend, filter),
      heapOffset(backend, dx),
      scratch,
      ...convGeometry(info),
    );
  } finally {
    backend.wasm._free(scratch);
  }
  return dx;
}

/**
 * Kernel function for `Conv2DBackpropInput` on wasm: the compiled SIMD kernel, else the
 * flipped-filter conv (stride 1), else the stock kernel.
 */
export function makeConv2dBackpropInputKernel(stock: () => KernelConfig | undefined) {
  return (args: { inputs: NamedTensorInfoMap; attrs?: unknown; backend: unknown }): TensorInfo => {
    const { dy, filter } = args.inputs;
    if (dy === undefined || filter === undefined)
      throw new Error('Conv2DBackpropInput (wasm): inputs dy and filter are required');
    const simd = conv2dBackpropInputSimd(
      dy,
      filter,
      args.attrs as Conv2DBackpropInputAttrs,
      args.backend,
    );
    if (simd !== null) return simd;
    const fast = conv2dBackpropInputViaConv(dy, filter, args.attrs as Conv2DBackpropInputAttrs);
    if (fast !== null) return fast;
    const fallback = stock();
    if (fallback === undefined)
      throw new Error('Conv2DBackpropInput (wasm): no stock kernel to fall back to');
    return fallback.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo;
  };
}
