import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * A kernel receives TensorInfos; inside the engine these are the op's input Tensor objects, so
 * they can be passed to tf ops directly. A bare TensorInfo (no `rank`) would need wrapping, which
 * tfjs does not expose for a single dataId without copying, so it is rejected loudly.
 */
export function asTensor(info: TensorInfo): tf.Tensor {
  if (info instanceof tf.Tensor) return info as tf.Tensor;
  throw new Error(
    `wasm training kernel: expected a Tensor input, got a bare TensorInfo of shape [${info.shape.join(',')}]`,
  );
}
