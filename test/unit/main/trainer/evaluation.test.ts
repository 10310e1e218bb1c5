import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingSpec, VariantSpec } from '../../../../main/api/config.js';
import { evaluate, trainEvalIndices } from '../../../../main/trainer/evaluation.js';
import { createLocalEngine } from '../../../../main/trainer/engine/local-engine.js';
import { syntheticDataset } from '../../../helpers/synthetic-data.js';

const dataset = syntheticDataset({ height: 8, width: 8, train: 40, validation: 8 });
const input = { height: 8, width: 8, channels: 1, classes: 4 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('inference-mode train evaluation', () => {
  it('gives the same numbers with dropout 0 and 0.9 for the same weights', async () => {
    const indices = trainEvalIndices(dataset.train.count, 24);
    const results = [];
    for (const dropout of [0, 0.9]) {
      // The seed fixes the weights (dropout has none), so both models are the same network.
      const variant = VariantSpec.parse({ name: 'v', width: 0.25, dropout, convDropout: dropout });
      const engine = createLocalEngine();
      await engine.init({ variant, input, seed: 5, training: TrainingSpec.parse({}) });
      const before = tf.memory().numTensors;
      results.push(await evaluate(engine, dataset.train, dataset, indices));
      expect(tf.memory().numTensors).toBe(before);
      await engine.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.loss).toBeGreaterThan(0);
  });

  it('measures a fixed seeded subset of the training split, or all of it when it is smaller', () => {
    const a = trainEvalIndices(5000, 1000);
    expect(a).toHaveLength(1000);
    expect(trainEvalIndices(5000, 1000)).toEqual(a);
    expect(new Set(a).size).toBe(1000);
    expect([...a].every((v, i) => v < 5000 && (i === 0 || v > a[i - 1]!))).toBe(true);
    // Not simply the first images: the subset spreads over the split.
    expect(a.at(-1)).toBeGreaterThan(4000);
    expect([...trainEvalIndices(30, 1000)]).toEqual([...Array(30).keys()]);
  });
});
