/**
 * Forward-pass building blocks over tfjs-core ops. BN in training mode normalises with the batch
 * statistics and moves the moving ones; in inference mode it uses the moving ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation, BnPlacement } from '../../api/config.js';
import type { BnParams, ConvParams, DenseParams } from './params.js';
import { deriveSeed } from './seeds.js';
import type { ForwardOptions } from './types.js';

/** 'same'-padded convolution plus bias. */
export function conv(x: tf.Tensor4D, p: ConvParams): tf.Tensor4D {
  const y = tf.conv2d(x, p.kernel as tf.Tensor4D, p.stride, 'same');
  return p.bias ? tf.add<tf.Tensor4D>(y, p.bias) : y;
}

/** x·W + b. */
export function dense(x: tf.Tensor2D, p: DenseParams): tf.Tensor2D {
  const y: tf.Tensor2D = tf.matMul(x, p.kernel);
  return p.bias ? tf.add<tf.Tensor2D>(y, p.bias) : y;
}

/**
 * Batch normalisation over every axis but the last: batch statistics (moving the moving ones) in
 * training, the moving statistics in inference, or the batch statistics without moving anything
 * when an inference pass asks for `bnBatchStatistics`.
 */
export function batchNorm<T extends tf.Tensor>(
  x: T,
  p: BnParams,
  opts: Pick<ForwardOptions, 'training' | 'bnBatchStatistics'>,
): T {
  if (!opts.training && !opts.bnBatchStatistics) {
    return tf.batchNorm(x, p.movingMean, p.movingVariance, p.beta, p.gamma, p.epsilon) as T;
  }
  return trainingBatchNorm(p, x.shape.length, opts.training)(x, p.gamma, p.beta) as T;
}

/**
 * Training-mode BN, y = γ·x̂ + β with x̂ = (x − μ_B)/√(σ²_B + ε), with its analytic gradient
 * (Ioffe & Szegedy 2015, §3): dx = γ/√(σ²_B + ε) · (dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂,
 * dβ = Σ dy. Autodiff through tf.moments builds ~90 small kernels per layer; this is ~20, which
 * halves a BN network's step time on wasm. Also moves the moving statistics (not differentiated).
 */
function trainingBatchNorm(
  p: BnParams,
  rank: number,
  moveStatistics: boolean,
): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  const axes = Array.from({ length: rank - 1 }, (_, i) => i);
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(x, axes);
    if (moveStatistics) updateMoving(p, mean, variance);
    const inv = tf.rsqrt(tf.add(variance, p.epsilon));
    const xHat = tf.mul(tf.sub(x, mean), inv);
    save([xHat, tf.mul(gamma, inv)]);
    return {
      value: tf.add(tf.mul(xHat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedXHat, gammaInv] = saved as [tf.Tensor, tf.Tensor];
        const count = dy.size / (dy.shape.at(-1) ?? 1);
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, savedXHat), axes);
        const centred = tf.sub(
          tf.sub(dy, tf.div(dBeta, count)),
          tf.mul(savedXHat, tf.div(dGamma, count)),
        );
        return [tf.mul(centred, gammaInv), dGamma, dBeta];
      },
    };
  });
}

/** Keras convention: moving = m·moving + (1 − m)·batch (biased batch variance, as tf.keras). */
function updateMoving(p: BnParams, mean: tf.Tensor, variance: tf.Tensor): void {
  const m = p.momentum;
  const newMean = tf.tidy(() => tf.add(tf.mul(p.movingMean, m), tf.mul(mean, 1 - m)));
  const newVar = tf.tidy(() => tf.add(tf.mul(p.movingVariance, m), tf.mul(variance, 1 - m)));
  p.movingMean.assign(newMean);
  p.movingVariance.assign(newVar);
  newMean.dispose();
  newVar.dispose();
}

/** The nonlinearity by name. */
export function activate<T extends tf.Tensor>(x: T, activation: Activation): T {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

/**
 * Inverted dropout, active in training and in `thinned` inference passes; its mask is seeded from
 * (step seed, layer name).
 */
export function dropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  layer: string,
  opts: ForwardOptions,
): T {
  if ((!opts.training && !opts.thinned) || rate === 0) return x;
  if (opts.dropoutSeed === undefined) {
    throw new Error(`dropout layer "${layer}" needs a dropoutSeed when dropout is active`);
  }
  return tf.dropout(x, rate, undefined, deriveSeed(opts.dropoutSeed, layer)) as T;
}

/** 2×2 max pooling, stride 2 ('valid', so odd sizes round down). */
export function maxPool(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

/**
 * A weight layer, its BN (per placement) and its nonlinearity, tapping the nonlinearity's input and
 * output for the probes. `linear` is the conv/dense output (without bias when BN follows it).
 */
export function normAct<T extends tf.Tensor>(
  linear: T,
  layer: { name: string; type: 'conv' | 'dense'; units: number; bn: BnParams | null },
  placement: BnPlacement,
  activation: Activation,
  opts: ForwardOptions,
): T {
  const pre =
    placement === 'before-activation' && layer.bn ? batchNorm(linear, layer.bn, opts) : linear;
  const post = activate(pre, activation);
  opts.taps?.push({
    layer: layer.name,
    type: layer.type,
    activation,
    units: layer.units,
    pre,
    post,
  });
  return placement === 'after-activation' && layer.bn ? batchNorm(post, layer.bn, opts) : post;
}
