import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { convGeometry, simdKernels } from './simd/module.js';
import { asTensor } from './tensor-info.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * dW for a 2-D convolution (NHWC) computed as an ordinary conv2d over transposed axes.
 *
 * dW[fh,fw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+fh−pt, ow·s+fw−pl, ci] · dy[n,oh,ow,co]. Swapping the batch
 * and channel axes of x (→ [Cin,H,W,N]) and using dy as a filter ([OH,OW,N,Cout]) makes this a
 * stride-1 conv2d whose dilation is the forward stride; the result [Cin,fh,fw,Cout] is transposed
 * back. Explicit padding is chosen so the output is exactly fh×fw; where the forward conv never
 * reached the bottom/right rows of x (valid padding with a stride), x is cropped instead.
 * Every intermediate lives inside the tidy; only the returned tensor survives.
 */
export function conv2dBackpropFilterViaConv(
  xInfo: TensorInfo,
  dyInfo: TensorInfo,
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const x = asTensor(xInfo) as tf.Tensor4D;
  const dy = asTensor(dyInfo) as tf.Tensor4D;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new Error(
      `Conv2DBackpropFilter (wasm): dataFormat '${attrs.dataFormat}' is not supported; use 'NHWC'`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  return tf.tidy(() => {
    const { top, left } = info.padInfo;
    const sh = info.strideHeight;
    const sw = info.strideWidth;
    let bottom = info.filterHeight + (info.outHeight - 1) * sh - info.inHeight - top;
    let right = info.filterWidth + (info.outWidth - 1) * sw - info.inWidth - left;
    let xc = x;
    if (bottom < 0 || right < 0) {
      const h = bottom < 0 ? info.inHeight + bottom : info.inHeight;
      const w = right < 0 ? info.inWidth + right : info.inWidth;
      xc = tf.slice(x, [0, 0, 0, 0], [info.batchSize, h, w, info.inChannels]);
      bottom = Math.max(bottom, 0);
      right = Math.max(right, 0);
    }
    const xt = tf.transpose(xc, [3, 1, 2, 0]);
    const dyt = tf.transpose(dy, [1, 2, 0, 3]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const dw = tf.conv2d(xt, dyt, 1, pad, 'NHWC', [sh, sw]);
    return tf.transpose(dw, [1, 2, 0, 3]);
  });
}

/**
 * Kernel function registered for `Conv2DBackpropFilter` on wasm: the compiled SIMD kernel (every
 * stride and padding, NHWC, output channels a multiple of 8), else the conv2d rewrite above.
 */
export function conv2dBackpropFilterKernel(args: {
  inputs: NamedTensorInfoMap;
  attrs?: unknown;
  backend: unknown;
}): TensorInfo {
  const { x, dy } = args.inputs;
  if (x === undefined || dy === undefined) {
    throw new Error('Conv2DBackpropFilter (wasm): inputs x and dy are required');
  }
  const attrs = args.attrs as Conv2DBackpropFilterAttrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const cout = attrs.filterShape[3];
  const backend = asWasmBackend(args.backend, 'Conv2DBackpropFilter');
  const simd = simdKernels(backend);
  if (
    simd &&
    dataFormat === 'channelsLast' &&
    cout % 8 === 0 &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32'
  ) {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const dw = backend.makeOutput(attrs.filterShape, 'float32');
    simd.conv2d_backprop_filter(
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, dw),
      ...convGeometry(info),
    );
    return dw;
  }
  return conv2dBackpropFilterViaConv(x, dy, attrs);
}
