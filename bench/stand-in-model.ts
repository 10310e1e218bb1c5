/**
 * A small CNN used to develop and profile the wasm kernels before (and independently of) the
 * project's models: conv3×3(32)·2 → pool → conv3×3(64)·2 → pool → dense(512) → dense(classes),
 * optionally with batch norm before each ReLU (batch statistics, as in training).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface StandInModel {
  readonly variables: tf.Variable[];
  readonly flopsPerImage: number;
  forward(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** Builds the stand-in CNN with seeded Glorot-like weights. */
export function buildStandInCnn(
  spec: { height: number; width: number; channels: number; classes: number },
  bn: boolean,
  seed: number,
): StandInModel {
  const vars: tf.Variable[] = [];
  let s = seed;
  const w = (shape: number[], fanIn: number): tf.Variable => {
    const v = tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', s++));
    vars.push(v);
    return v;
  };
  const z = (n: number, value = 0): tf.Variable => {
    const v = tf.variable(tf.fill([n], value));
    vars.push(v);
    return v;
  };
  const convs: Array<{ k: tf.Variable; b: tf.Variable; g: tf.Variable | null }> = [];
  let cin = spec.channels;
  let flops = 0;
  let h = spec.height;
  let wd = spec.width;
  for (const [i, cout] of [32, 32, 64, 64].entries()) {
    convs.push({ k: w([3, 3, cin, cout], 9 * cin), b: z(cout), g: bn ? z(cout, 1) : null });
    flops += 2 * h * wd * 9 * cin * cout;
    cin = cout;
    if (i % 2 === 1) {
      h = Math.floor(h / 2);
      wd = Math.floor(wd / 2);
    }
  }
  const flat = h * wd * cin;
  const d1 = w([flat, 512], flat);
  const d1b = z(512);
  const d2 = w([512, spec.classes], 512);
  const d2b = z(spec.classes);
  flops += 2 * (flat * 512 + 512 * spec.classes);
  return {
    variables: vars,
    flopsPerImage: flops,
    forward(x) {
      let y: tf.Tensor4D = x;
      for (const [i, c] of convs.entries()) {
        y = tf.conv2d(y, c.k as tf.Tensor4D, 1, 'same');
        if (c.g) {
          const { mean, variance } = tf.moments(y, [0, 1, 2]);
          y = tf.batchNorm<tf.Rank.R4>(
            y,
            mean as tf.Tensor1D,
            variance as tf.Tensor1D,
            c.b as tf.Tensor1D,
            c.g as tf.Tensor1D,
            1e-3,
          );
        } else {
          y = tf.add(y, c.b);
        }
        y = tf.relu(y);
        if (i % 2 === 1) y = tf.maxPool(y, 2, 2, 'valid');
      }
      const f = tf.reshape<tf.Rank.R2>(y, [x.shape[0], flat]);
      const hdn = tf.relu(tf.add(tf.matMul(f, d1 as tf.Tensor2D), d1b)) as tf.Tensor2D;
      return tf.add<tf.Tensor2D>(tf.matMul(hdn, d2), d2b);
    },
    dispose() {
      for (const v of vars) v.dispose();
    },
  };
}

/** One SGD step on the stand-in model; returns the loss (a scalar the caller disposes). */
export function standInStep(
  model: StandInModel,
  opt: tf.Optimizer,
  x: tf.Tensor4D,
  labels: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy<tf.Tensor2D, tf.Scalar>(labels, model.forward(x)),
      model.variables,
    );
    opt.applyGradients(grads);
    return value;
  });
}
