import * as tf from '@tensorflow/tfjs-core';
import '../../../../../main/trainer/gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm } from '../../../../../main/trainer/models/ops.js';
import type { BnParams } from '../../../../../main/trainer/models/params.js';
import { selectBackend } from '../../../../../main/trainer/backends/select.js';

function params(channels: number): BnParams {
  return {
    name: 'bn',
    gamma: tf.variable(tf.randomUniform([channels], 0.5, 2, 'float32', 1)),
    beta: tf.variable(tf.randomUniform([channels], -1, 1, 'float32', 2)),
    movingMean: tf.variable(tf.zeros([channels]), false),
    movingVariance: tf.variable(tf.ones([channels]), false),
    momentum: 0.9,
    epsilon: 1e-3,
  };
}

/** BN written naively, differentiated by tfjs autodiff: the reference for the analytic gradient. */
function reference(x: tf.Tensor, p: BnParams): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, p.epsilon))), p.gamma),
    p.beta,
  );
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('training-mode batch norm', () => {
  for (const shape of [
    [4, 5, 5, 3],
    [6, 7],
  ]) {
    it(`matches autodiff of the textbook formula in value and gradients (shape ${shape.join('×')})`, async () => {
      const p = params(shape.at(-1)!);
      const x = tf.randomNormal(shape, 2, 3, 'float32', 3);
      // A loss that weights every output differently, so every gradient term matters.
      const w = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const lossOf =
        (f: (x: tf.Tensor) => tf.Tensor) => (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          void g;
          void b;
          return tf.sum(tf.mul(tf.square(f(xs)), w));
        };
      const vars = (fn: () => tf.Scalar) => tf.variableGrads(fn, [p.gamma, p.beta]);
      const ours = vars(
        () => lossOf((xs) => batchNorm(xs, p, { training: true }))(x, p.gamma, p.beta) as tf.Scalar,
      );
      const ref = vars(() => lossOf((xs) => reference(xs, p))(x, p.gamma, p.beta) as tf.Scalar);
      const dxOurs = tf.grad((xs: tf.Tensor) =>
        lossOf((v) => batchNorm(v, p, { training: true }))(xs, p.gamma, p.beta),
      )(x);
      const dxRef = tf.grad((xs: tf.Tensor) => lossOf((v) => reference(v, p))(xs, p.gamma, p.beta))(
        x,
      );
      const close = async (a: tf.Tensor, b: tf.Tensor) => {
        const [va, vb] = [await a.data(), await b.data()];
        va.forEach((v, i) => expect(v).toBeCloseTo(vb[i]!, 2));
      };
      await close(ours.value, ref.value);
      await close(ours.grads[p.gamma.name]!, ref.grads[p.gamma.name]!);
      await close(ours.grads[p.beta.name]!, ref.grads[p.beta.name]!);
      await close(dxOurs, dxRef);
      // Our BN ran twice in training mode: moving = 0.9²·0 + (1 − 0.9²)·batch mean.
      const batchMean = tf.mean(
        x,
        x.shape.slice(0, -1).map((_, i) => i),
      );
      await close(p.movingMean, tf.mul(batchMean, 1 - 0.81));
      tf.dispose([
        x,
        w,
        ours.value,
        ref.value,
        dxOurs,
        dxRef,
        p.gamma,
        p.beta,
        p.movingMean,
        p.movingVariance,
      ]);
      tf.dispose(Object.values(ours.grads));
      tf.dispose(Object.values(ref.grads));
    });
  }
});
