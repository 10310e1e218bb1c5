import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingSpec, VariantSpec } from '../../../../../../main/api/config.js';
import { buildModel } from '../../../../../../main/trainer/models/index.js';
import { createTrainer } from '../../../../../../main/trainer/train-step.js';
import { randomValues, useWasm } from './helpers.js';

const batch = 6;
const input = { height: 8, width: 8, channels: 3, classes: 10 };
const training = TrainingSpec.parse({ learningRate: 0.05, momentum: 0 });

/**
 * Trains the project's simple CNN (width ¼: 8/16 filters, so the SIMD kernels' channel paths run)
 * for `steps` steps on one backend; returns the losses and the tensor count after each step.
 */
async function train(backend: 'wasm' | 'cpu', bn: boolean, steps: number) {
  await tf.setBackend(backend);
  const variant = VariantSpec.parse({
    name: 'v',
    width: 0.25,
    bn: bn ? 'before-activation' : 'none',
  });
  const model = buildModel(variant, input, 11);
  const trainer = createTrainer(model, training, 11);
  const x = tf.tensor4d(randomValues(batch * 8 * 8 * 3, 21), [batch, 8, 8, 3]);
  const labels = tf.tensor1d([0, 3, 5, 9, 3, 1], 'int32');
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push((await trainer.step(x, labels, i)).loss);
    counts.push(tf.memory().numTensors);
  }
  trainer.dispose();
  model.dispose();
  tf.dispose([x, labels]);
  return { losses, counts };
}

describe('training the simple CNN on wasm', () => {
  beforeAll(useWasm);

  it.each([false, true])(
    'follows the cpu loss trajectory with a flat tensor count (BN: %s)',
    async (bn) => {
      const w = await train('wasm', bn, 6);
      const c = await train('cpu', bn, 6);
      await tf.setBackend('wasm');
      expect(w.losses[w.losses.length - 1]).toBeLessThan(w.losses[0] ?? 0);
      for (const [i, l] of w.losses.entries())
        expect(Math.abs(l - (c.losses[i] ?? NaN))).toBeLessThan(1e-3 * Math.max(1, Math.abs(l)));
      // After the first step the optimizer's state exists; from then on nothing may accumulate.
      expect(new Set(w.counts.slice(1)).size).toBe(1);
    },
  );
});
