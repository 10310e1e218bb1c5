import { describe, expect, test } from 'vitest';
import type { EventOf } from '../../../../main/api/index.js';
import { buildCurves, meanStd } from '../../../../renderer/lib/curves.js';

const epoch = (n: number, valAccuracy: number, trainLoss = 1): EventOf<'epoch'> => ({
  kind: 'epoch',
  time: n,
  epoch: n,
  trainLoss,
  trainAccuracy: 0.5,
  valLoss: 2,
  valAccuracy,
  learningRate: 0.01,
  durationMs: 1,
  imagesPerSecond: 1,
});

describe('buildCurves', () => {
  test('one seed: the values themselves, no band', () => {
    const [c] = buildCurves(
      [{ variant: 'a', epochsPerRun: [[epoch(1, 0.5), epoch(2, 0.7)]] }],
      'accuracy',
    );
    expect(c?.val).toEqual([
      { epoch: 1, mean: 0.5, std: null, min: null, max: null },
      { epoch: 2, mean: 0.7, std: null, min: null, max: null },
    ]);
  });

  test('several seeds: mean and population std per epoch; an epoch only one seed reached has no band', () => {
    const [c] = buildCurves(
      [{ variant: 'a', epochsPerRun: [[epoch(1, 0.4), epoch(2, 0.9)], [epoch(1, 0.6)]] }],
      'accuracy',
    );
    expect(c?.val[0]?.mean).toBeCloseTo(0.5);
    expect(c?.val[0]?.std).toBeCloseTo(0.1);
    expect(c?.val[0]).toMatchObject({ min: 0.4, max: 0.6 });
    expect(c?.val[1]).toEqual({ epoch: 2, mean: 0.9, std: null, min: null, max: null });
  });

  test('loss picks the loss fields, in variant order with stable indices', () => {
    const curves = buildCurves(
      [
        { variant: 'a', epochsPerRun: [[epoch(1, 0.5, 3)]] },
        { variant: 'b', epochsPerRun: [] },
      ],
      'loss',
    );
    expect(curves.map((c) => [c.variant, c.index])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(curves[0]?.train[0]?.mean).toBe(3);
    expect(curves[1]?.train).toEqual([]);
  });

  test('meanStd', () => {
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
  });
});
