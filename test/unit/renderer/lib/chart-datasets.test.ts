import { describe, expect, test } from 'vitest';
import {
  curveDatasets,
  forLogScale,
  NOT_LEARNED_COLOR,
} from '../../../../renderer/lib/chart-datasets.js';
import { chartCsv, fileName } from '../../../../renderer/lib/chart-export.js';
import { METRIC_RANGE, type VariantCurves } from '../../../../renderer/lib/curves.js';
import type { SeedLine } from '../../../../renderer/lib/seed-lines.js';

// Two seeds at 0.05 and 0.95 accuracy: mean 0.5, std 0.45, so ± std would reach 95 %; at 0.02
// and 0.98 it would pass 100 %.
const wide: VariantCurves = {
  variant: 'a',
  index: 0,
  train: [{ epoch: 1, mean: 0.5, std: 0.6, min: 0.02, max: 0.98 }],
  val: [],
};

const seed = (s: number, learned: boolean, value: number): SeedLine => ({
  variant: 'a',
  index: 0,
  seed: s,
  learned,
  split: 'train',
  points: [{ epoch: 1, value }],
});

describe('learning-curve datasets', () => {
  test('mean ± std: the band is clamped to the metric range (accuracy 0–100 %)', () => {
    const out = curveDatasets([wide], { scale: 100, range: METRIC_RANGE.accuracy });
    const [lower, upper, mean] = out;
    expect([lower?.data[0]?.y, upper?.data[0]?.y]).toEqual([0, 100]);
    expect(mean?.data[0]).toEqual({ x: 1, y: 50, std: 60, min: 2, max: 98 });
    expect(lower?.group).toBe('a train');
  });

  test('loss bands stop at 0', () => {
    const loss = { ...wide, train: [{ epoch: 1, mean: 0.2, std: 0.5, min: 0, max: 1 }] };
    const [lower] = curveDatasets([loss], { range: METRIC_RANGE.loss });
    expect(lower?.data[0]?.y).toBe(0);
  });

  test('mean with min–max: the band spans the lowest to the highest seed', () => {
    const [lower, upper] = curveDatasets([wide], {
      mode: 'minmax',
      scale: 100,
      range: METRIC_RANGE.accuracy,
    });
    expect([lower?.data[0]?.y, upper?.data[0]?.y]).toEqual([2, 98]);
  });

  test('every seed: no band, a thin line per seed grouped under its mean', () => {
    const out = curveDatasets([wide], {
      mode: 'seeds',
      seeds: [seed(1, true, 0.02), seed(2, true, 0.98)],
    });
    expect(out.map((d) => [d.label, d.group, d.borderWidth])).toEqual([
      ['a train', undefined, 2],
      ['a seed 1 train', 'a train', 1],
      ['a seed 2 train', 'a train', 1],
    ]);
  });

  test('a run that did not learn is grey, dotted and says so, in every mode', () => {
    for (const mode of ['std', 'minmax', 'seeds'] as const) {
      const out = curveDatasets([wide], { mode, seeds: [seed(1, true, 0.9), seed(2, false, 0.1)] });
      const failed = out.filter((d) => d.label?.includes('did not learn'));
      expect(failed.map((d) => d.label)).toEqual(['a seed 2 train (did not learn)']);
      expect(failed[0]).toMatchObject({ borderColor: NOT_LEARNED_COLOR, borderDash: [2, 3] });
      expect(failed[0]?.group).toBeUndefined();
    }
  });

  test('log y: a band edge at 0 rises to the smallest positive value shown', () => {
    const loss = { ...wide, train: [{ epoch: 1, mean: 0.2, std: 0.5, min: 0, max: 1 }] };
    const out = forLogScale(curveDatasets([loss], { range: METRIC_RANGE.loss }));
    expect(out[0]?.data[0]?.y).toBe(0.2);
  });
});

describe('chart CSV', () => {
  const datasets = curveDatasets(
    [
      wide,
      {
        variant: '=b',
        index: 1,
        train: [
          { epoch: 1, mean: 0.4, std: null, min: null, max: null },
          { epoch: 2, mean: 0.6, std: null, min: null, max: null },
        ],
        val: [],
      },
    ],
    { scale: 100 },
  );

  test('one row per drawn point of every shown series, with std and min–max where they exist', () => {
    const csv = chartCsv(datasets, { xLabel: 'epoch', yLabel: 'accuracy %', hidden: new Set() });
    expect(csv.split('\r\n')).toEqual([
      'series,epoch,accuracy %,std,min,max',
      'a train,1,50,60,2,98',
      // A name that a spreadsheet would run as a formula is escaped.
      "'=b train,1,40,,,",
      "'=b train,2,60,,,",
      '',
    ]);
  });

  test('hidden series and points outside the zoomed x range are left out', () => {
    const csv = chartCsv(datasets, {
      xLabel: 'epoch',
      yLabel: 'accuracy %',
      hidden: new Set(['a train']),
      xRange: { min: 1.5, max: 3 },
    });
    expect(csv.split('\r\n').slice(1, -1)).toEqual(["'=b train,2,60,,,"]);
  });

  test('file names from titles', () => {
    expect(fileName('Loss (train solid, validation dashed)', 'csv')).toBe('loss.csv');
    expect(fileName('Training accuracy per batch window', 'png')).toBe(
      'training-accuracy-per-batch-window.png',
    );
  });
});
