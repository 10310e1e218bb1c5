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
}

export interface Model {
  readonly summary: ModelSummary;
  /** Trainable variables in a fixed order (the optimizer's state is matched by this order). */
  readonly trainable: readonly NamedVariable[];
  /** BN moving means and variances (not trainable, but checkpointed). */
  readonly movingStatistics: readonly NamedVariable[];
  /** Logits, shape [batch, classes]. */
  forward(x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D;
  dispose(): void;
}
