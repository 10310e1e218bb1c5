import { describe, expect, test } from 'vitest';
import type { EventOf } from '../../../../main/api/index.js';
import {
  appendBatchPoints,
  batchPoint,
  batchX,
  debiasedEma,
  type BatchPoint,
} from '../../../../renderer/lib/batch-curve.js';
import { batchDatasets } from '../../../../renderer/lib/batch-datasets.js';
import { appendEvents, emptyTimeline } from '../../../../renderer/lib/run-timeline.js';

const progress = (
  epoch: number,
  batch: number,
  fields: Partial<EventOf<'progress'>> = {},
): EventOf<'progress'> => ({
  kind: 'progress',
  time: 1000 + epoch * 100 + batch,
  epoch,
  batch,
  batchesPerEpoch: 10,
  loss: 1,
  accuracy: 0.5,
  imagesPerSecond: 1,
  ...fields,
});

const point = (step: number, loss: number, batches = 1): BatchPoint => ({
  step,
  epoch: step / 10,
  time: step,
  loss,
  accuracy: loss / 10,
  batches,
});

describe('debiasedEma (TensorBoard)', () => {
  test('weight 0 is the raw series', () => {
    expect(debiasedEma([3, 1, 2], 0)).toEqual([3, 1, 2]);
  });

  test('debiased: the first value is kept, a constant series stays constant', () => {
    expect(debiasedEma([5, 5, 5], 0.9).map((v) => Number(v.toFixed(12)))).toEqual([5, 5, 5]);
    const [a, b] = debiasedEma([1, 3], 0.5);
    expect(a).toBe(1);
    // last = (0.5·0.5 + 0.5·3) = 1.75; ÷ (1 − 0.5²) = 2.333…
    expect(b).toBeCloseTo(1.75 / 0.75, 12);
  });

  test('a non-finite value passes through and does not poison what follows', () => {
    const out = debiasedEma([1, NaN, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });

  test('refuses a weight outside [0, 1)', () => {
    expect(() => debiasedEma([1], 1)).toThrow(/smoothing must be in \[0, 1\)/);
    expect(() => debiasedEma([1], -0.1)).toThrow(RangeError);
  });
});

describe('batch points', () => {
  test('from the window fields, at a fractional epoch and the run-wide step', () => {
    const p = batchPoint(
      progress(2, 5, { windowLoss: 0.7, windowAccuracy: 0.8, windowBatches: 2, step: 15 }),
      null,
    );
    expect(p).toMatchObject({ step: 15, epoch: 1.5, loss: 0.7, accuracy: 0.8, batches: 2 });
    expect(batchX(p!, 'epoch', 0)).toBe(1.5);
    expect(batchX(p!, 'step', 0)).toBe(15);
    expect(batchX(p!, 'time', p!.time - 2500)).toBe(2.5);
  });

  test('older logs: the window recovered from two running means of the same epoch', () => {
    const first = progress(1, 2, { loss: 2, accuracy: 0.25 });
    const second = progress(1, 6, { loss: 1.5, accuracy: 0.5 });
    // (1.5·6 − 2·2) ÷ 4 = 1.25; (0.5·6 − 0.25·2) ÷ 4 = 0.625
    expect(batchPoint(second, first)).toMatchObject({
      step: 6,
      loss: 1.25,
      accuracy: 0.625,
      batches: 4,
    });
    // A new epoch starts its own running mean.
    expect(batchPoint(progress(2, 3, { loss: 0.9 }), second)).toMatchObject({
      step: 13,
      loss: 0.9,
      batches: 3,
    });
  });

  test('past the cap neighbours merge, weighted by batches, keeping the last step', () => {
    const list = appendBatchPoints([], [point(1, 1), point(2, 3), point(3, 5, 2)], 2);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ step: 2, loss: 2, batches: 2 });
    expect(list[1]).toMatchObject({ step: 3, loss: 5, batches: 2 });
  });

  test('replayed steps (stored events over live pushes) change nothing', () => {
    const list = appendBatchPoints([], [point(1, 1), point(2, 2)]);
    expect(appendBatchPoints(list, [point(1, 9), point(2, 9)])).toEqual(list);
    const merged = appendBatchPoints([point(3, 3)], [point(1, 1), point(2, 2)]);
    expect(merged.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  test('a timeline gains a point per progress event, inside an epoch', () => {
    const t = appendEvents(emptyTimeline, [
      progress(1, 3, { windowLoss: 2, windowAccuracy: 0.1, windowBatches: 3, step: 3 }),
      progress(1, 6, { windowLoss: 1, windowAccuracy: 0.3, windowBatches: 3, step: 6 }),
    ]);
    expect(t.batches.map((p) => [p.epoch, p.loss])).toEqual([
      [0.3, 2],
      [0.6, 1],
    ]);
  });
});

describe('training-curve datasets', () => {
  const run = {
    runId: 'r',
    variant: 'no-bn',
    index: 0,
    seed: 1,
    startMs: 0,
    points: [point(1, 2), point(2, 0)],
  };

  test('smoothed line and its faint raw line, hidden together', () => {
    const [smooth, raw] = batchDatasets([run], { metric: 'loss', axis: 'step', smoothing: 0.5 });
    expect(smooth?.label).toBe('no-bn seed 1');
    expect(smooth?.data.map((p) => p.y)).toEqual([2, (0.5 * 0.5 * 2) / 0.75]);
    expect(raw).toMatchObject({ label: 'no-bn seed 1 (raw)', group: 'no-bn seed 1' });
    expect(raw?.data.map((p) => [p.x, p.y])).toEqual([
      [1, 2],
      [2, 0],
    ]);
  });

  test('no smoothing: the raw line alone, in percent for accuracy', () => {
    const out = batchDatasets([run], {
      metric: 'accuracy',
      axis: 'epoch',
      smoothing: 0,
      scale: 100,
    });
    expect(out.map((d) => d.label)).toEqual(['no-bn seed 1']);
    expect(out[0]?.data.map((p) => [p.x, p.y])).toEqual([
      [0.1, 20],
      [0.2, 0],
    ]);
  });
});
