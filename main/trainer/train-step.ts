/**
 * One optimisation step and one evaluation pass, with every intermediate tensor disposed and the
 * metrics read back in a single transfer.
 *
 *   const trainer = createTrainer(model, training, seed);
 *   const { loss, correct } = await trainer.step(x, labels, globalStep); // x NHWC float32, labels int32
 *   trainer.dispose();
 *
 * `loss` is the batch's mean cross-entropy (NaN/Infinity when the run diverged); `correct` counts
 * the batch's right answers. Dropout masks are seeded by (seed, globalStep), so a given step draws
 * the same masks whether or not the run was resumed.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import type { TrainingSpec } from '../api/config.js';
import { deriveSeed } from './models/seeds.js';
import type { Model } from './models/types.js';
import {
  createOptimizer,
  learningRateAt,
  type NamedTensor,
  optimizerState,
  optimizerWithState,
} from './optimizer.js';

export interface StepResult {
  loss: number;
  correct: number;
}

export interface EvalResult {
  /** Summed (not mean) cross-entropy over the batch. */
  lossSum: number;
  correct: number;
}

export interface Trainer {
  /** One SGD/Adam step on a batch; resolves the loss and correct count as plain numbers. */
  step(x: tf.Tensor4D, labels: tf.Tensor1D, globalStep: number): Promise<StepResult>;
  /**
   * The mean loss and every trainable variable's gradient (without weight decay) of a
   * training-mode batch, not applied; BN's moving statistics do update. The caller disposes them.
   */
  gradients(
    x: tf.Tensor4D,
    labels: tf.Tensor1D,
    globalStep: number,
  ): { loss: tf.Scalar; correct: tf.Scalar; grads: tf.NamedTensorMap };
  /** Inference-mode loss and correct count of a batch (BN uses moving statistics, no dropout). */
  evaluate(x: tf.Tensor4D, labels: tf.Tensor1D): Promise<EvalResult>;
  /** The learning rate in use. */
  readonly learningRate: number;
  /** Switches the learning rate, keeping the optimizer's accumulated state. */
  setLearningRate(lr: number): Promise<void>;
  /** Copies of the optimizer's state for a checkpoint (the caller disposes them). */
  saveState(): Promise<NamedTensor[]>;
  /** Restores optimizer state saved by `saveState` (consumes the tensors). */
  loadState(state: NamedTensor[]): Promise<void>;
  dispose(): void;
}

/** A trainer for `model` with the run's optimizer, starting at the epoch-1 learning rate. */
export function createTrainer(model: Model, training: TrainingSpec, seed: number): Trainer {
  let lr = learningRateAt(training, 1);
  let optimizer = createOptimizer(training, lr);
  const variables = model.trainable.map((v) => v.variable);
  const classes = model.summary.layers.at(-1)?.outputShape[0] ?? 0;

  // SGD and momentum take a new rate in place; Adam fixes its rate at construction, so a change
  // builds a new Adam carrying the old one's state.
  const changeRate = async (next: number): Promise<void> => {
    // (tfjs's Optimizer overrides `instanceof` with duck typing, so test the configured kind.)
    if (training.optimizer === 'sgd') {
      (optimizer as tf.SGDOptimizer).setLearningRate(next);
    } else {
      const replacement = await optimizerWithState(training, next, await optimizerState(optimizer));
      optimizer.dispose();
      optimizer = replacement;
    }
    lr = next;
  };

  const gradients: Trainer['gradients'] = (x, labels, globalStep) => {
    const dropoutSeed = deriveSeed(seed, 'dropout', globalStep);
    // An object, not a `let`: TypeScript would narrow a variable assigned in the callback to null.
    const kept: { correct: tf.Scalar | null } = { correct: null };
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x, { training: true, dropoutSeed });
      kept.correct = tf.keep(countCorrect(logits, labels));
      return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(
        tf.oneHot(labels, classes),
        logits,
      );
    }, variables);
    if (!kept.correct) throw new Error('forward pass did not run');
    return { loss: value, correct: kept.correct, grads };
  };

  return {
    get learningRate() {
      return lr;
    },
    gradients,
    async step(x, labels, globalStep) {
      const { loss: value, correct, grads } = gradients(x, labels, globalStep);
      const named = model.trainable.map(({ variable, decay }) => {
        const grad = grads[variable.name];
        if (!grad) throw new Error(`no gradient for ${variable.name}`);
        const withDecay = decay && training.weightDecay > 0;
        return {
          name: variable.name,
          tensor: withDecay
            ? tf.tidy(() => tf.add(grad, tf.mul(variable, training.weightDecay)))
            : grad,
        };
      });
      optimizer.applyGradients(named);
      // `named` shares the undecayed gradients with `grads`; disposing a tensor twice is a no-op.
      tf.dispose(grads);
      tf.dispose(named.map((n) => n.tensor));
      return readPair(value, correct);
    },
    async evaluate(x, labels) {
      const pair = tf.tidy(() => {
        const logits = model.forward(x, { training: false });
        const lossSum = tf.losses.softmaxCrossEntropy(
          tf.oneHot(labels, classes),
          logits,
          undefined,
          0,
          tf.Reduction.SUM,
        );
        return tf.stack([lossSum, tf.cast(countCorrect(logits, labels), 'float32')]);
      });
      const [lossSum = NaN, correct = 0] = await pair.data();
      pair.dispose();
      return { lossSum, correct };
    },
    async setLearningRate(next) {
      if (next !== lr) await changeRate(next);
    },
    saveState: () => optimizerState(optimizer),
    async loadState(state) {
      // Only called on a fresh trainer (no accumulators yet), so nothing is replaced and leaked.
      await optimizer.setWeights(state);
      tf.dispose(state.map((s) => s.tensor));
    },
    dispose() {
      optimizer.dispose();
      // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar of its SGD base.
      if (training.optimizer === 'sgd' && training.momentum > 0)
        (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
    },
  };
}

function countCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'int32'));
}

/** Loss and correct count in one transfer; disposes both. */
async function readPair(loss: tf.Scalar, correct: tf.Scalar): Promise<StepResult> {
  const pair = tf.tidy(() => tf.stack([loss, tf.cast(correct, 'float32')]));
  loss.dispose();
  correct.dispose();
  const [l = NaN, c = 0] = await pair.data();
  pair.dispose();
  return { loss: l, correct: c };
}
