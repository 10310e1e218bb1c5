/**
 * The model interface the trainer, the probes and the benchmarks code against. Models are plain
 * tfjs-core ops over `tf.variable`s (not tfjs-layers), so dropout masks are seeded per step and the
 * tensors on either side of every nonlinearity can be tapped for the probes.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../api/config.js';
import type { ModelSummary } from '../../api/events.js';

/** Input images and number of classes, taken from the dataset. */
export interface InputSpec {
  height: number;
  width: number;
  channels: number;
  classes: number;
}

/** A variable with its stable name (`conv1/kernel`), independent of the engine-unique name. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
  /** Conv/dense kernels get weight decay; biases and BN parameters do not. */
  readonly decay: boolean;
}

/** One nonlinearity's input and output during a forward pass (for the probes). */
export interface ActivationTap {
  readonly layer: string;
  readonly type: 'conv' | 'dense';
  readonly activation: Activation;
  readonly units: number;
  readonly pre: tf.Tensor;
  readonly post: tf.Tensor;
}

export interface ForwardOptions {
  /** Training mode: BN uses batch statistics and updates the moving ones; dropout is active. */
  training: boolean;
  /** Seed of this step's dropout masks (each layer derives its own); required when dropout is on. */
  dropoutSeed?: number;
  /**
   * When given, every layer that feeds a nonlinearity pushes its pre/post tensors here. They are
   * ordinary tensors of the current scope: call `forward` inside `tf.tidy` and reduce them there.
   */
  taps?: ActivationTap[];
  /**
   * Inference only (ignored in training): BN normalises with the batch's own statistics instead of
   * the moving averages, and leaves the moving averages untouched (the BN-modes and gradient probes).
   */
  bnBatchStatistics?: boolean;
  /**
   * Inference only: dropout is active with masks seeded by `dropoutSeed`, so the pass is one thinned
   * network (the dropout-ensemble probe); BN keeps its inference behaviour.
   */
  thinned?: boolean;
  /** Receives the classifier's input: the tensor `Model.head` turns into logits. */
  onFeatures?: (features: tf.Tensor2D) => void;
}

export interface Model {
  readonly summary: ModelSummary;
  /** Trainable variables in a fixed order (the optimizer's state is matched by this order). */
  readonly trainable: readonly NamedVariable[];
  /** BN moving means and variances (not trainable, but checkpointed). */
  readonly movingStatistics: readonly NamedVariable[];
  /** Logits, shape [batch, classes]. */
  forward(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D;
  /**
   * The last part of `forward`: the hidden dense layer's dropout and the classifier, from the
   * features `onFeatures` received. `forward(x) = head(features(x))`; with `convDropout` the
   * features are already thinned, so only dense dropout can be re-sampled this way.
   */
  head(features: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D;
  dispose(): void;
}
