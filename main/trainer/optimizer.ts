/**
 * Optimizers (tfjs's SGD, momentum SGD and Adam) and the per-epoch learning-rate schedules.
 * tfjs fixes an optimizer's rate at construction, so a schedule change builds a new optimizer and
 * hands it the old one's state through the public getWeights/setWeights — the same path a
 * checkpoint takes, so a resumed run continues with identical state.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../api/config.js';
import { assertNever } from '../api/events.js';

/** A tensor with the name tfjs optimizers give it in getWeights/setWeights. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Learning rate of a 1-based epoch under the run's schedule. */
export function learningRateAt(training: TrainingSpec, epoch: number): number {
  const base = training.learningRate;
  switch (training.schedule) {
    case 'constant':
      return base;
    case 'step': {
      const decays = training.stepMilestones
        ? training.stepMilestones.filter((m) => epoch > m).length
        : Math.floor((epoch - 1) / training.stepEpochs);
      return base * training.stepGamma ** decays;
    }
    case 'cosine':
      // Cosine decay from `base` at epoch 1 towards 0 after the last epoch.
      return 0.5 * base * (1 + Math.cos((Math.PI * (epoch - 1)) / training.epochs));
    default:
      return assertNever(training.schedule);
  }
}

/** A fresh optimizer of the run's kind at learning rate `lr`. */
export function createOptimizer(training: TrainingSpec, lr: number): tf.Optimizer {
  switch (training.optimizer) {
    case 'sgd':
      return training.momentum > 0 ? tf.train.momentum(lr, training.momentum) : tf.train.sgd(lr);
    case 'adam':
      return tf.train.adam(lr);
    default:
      return assertNever(training.optimizer);
  }
}

/** Copies of an optimizer's state (iteration count, accumulators), in its own order. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const weights = await optimizer.getWeights();
  // getWeights returns a fresh `iter` scalar plus the live accumulator variables; clone the latter
  // so the caller owns (and disposes) every returned tensor.
  return weights.map((w) => (w.name === 'iter' ? w : { name: w.name, tensor: tf.clone(w.tensor) }));
}

/** A new optimizer at `lr` carrying `state` (which is consumed: disposed here). */
export async function optimizerWithState(
  training: TrainingSpec,
  lr: number,
  state: NamedTensor[],
): Promise<tf.Optimizer> {
  const optimizer = createOptimizer(training, lr);
  if (state.length > 0) await optimizer.setWeights(state);
  tf.dispose(state.map((s) => s.tensor));
  return optimizer;
}
