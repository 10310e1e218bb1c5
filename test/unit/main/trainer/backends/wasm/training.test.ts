import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStandInCnn, standInStep } from '../../../../../../bench/stand-in-model.js';
import { randomValues, useWasm } from './helpers.js';

const batch = 6;
const spec = { height: 8, width: 8, channels: 3, classes: 10 };

/** Trains the small CNN for `steps` SGD steps on one backend; returns losses and tensor counts after each step. */
async function train(backend: 'wasm' | 'cpu', bn: boolean, steps: number) {
  await tf.setBackend(backend);
  const model = buildStandInCnn(spec, bn, 11);
  const opt = tf.train.sgd(0.05);
  const x = tf.tensor4d(randomValues(batch * 8 * 8 * 3, 21), [batch, 8, 8, 3]);
  const labels = tf.tidy(
    () => tf.oneHot(tf.tensor1d([0, 3, 5, 9, 3, 1], 'int32'), 10) as tf.Tensor2D,
  );
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = standInStep(model, opt, x, labels);
    losses.push((await loss.data())[0] ?? NaN);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  opt.dispose();
  model.dispose();
  x.dispose();
  labels.dispose();
  return { losses, counts };
}

describe('training a small CNN on wasm', () => {
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
