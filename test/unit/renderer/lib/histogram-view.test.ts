import { describe, expect, test } from 'vitest';
import {
  SYMLOG_BIN_COUNT,
  symlogBin,
  symlogBinCentre,
  type Histogram,
} from '../../../../main/api/index.js';
import {
  axisBounds,
  axisTickLabel,
  axisToValue,
  binAxisCentre,
  histogramCurve,
  mergeHistograms,
} from '../../../../renderer/lib/histogram-view.js';

function histogramOf(values: number[]): Histogram {
  const counts = new Array<number>(SYMLOG_BIN_COUNT).fill(0);
  for (const v of values) counts[symlogBin(v)]! += 1;
  return {
    scheme: 'symlog-v1',
    counts,
    underflow: 0,
    overflow: 0,
    zeros: values.filter((v) => v === 0).length,
    total: values.length,
  };
}

describe('symlog axis', () => {
  test('bin centres land where the contract says the bin values are', () => {
    for (const i of [0, 10, 127, 128, 129, 200, 256]) {
      const value = symlogBinCentre(i);
      expect(axisToValue(binAxisCentre(i))).toBeCloseTo(value, 10);
    }
  });

  test('integer ticks read as powers of ten', () => {
    expect([-5, -4, 0, 3, 4, 5, 6].map(axisTickLabel)).toEqual([
      '−10',
      '−1',
      '0',
      '1e-1',
      '1',
      '10',
      '1e2',
    ]);
  });
});

describe('histogramCurve', () => {
  test('exact zeros are reported apart and left out of the plotted density', () => {
    const curve = histogramCurve(histogramOf([0, 0, 0, 0.5, 2]));
    expect(curve.zeroFraction).toBeCloseTo(0.6);
    const centre = curve.points.find((p) => p.x === 0);
    expect(centre?.y ?? 0).toBe(0);
    const total = curve.points.reduce((s, p) => s + p.y, 0);
    expect(total).toBeCloseTo(0.4);
  });

  test('the curve spans the occupied bins plus one empty bin each side', () => {
    const curve = histogramCurve(histogramOf([0.5, 2]));
    expect(curve.points[0]?.y).toBe(0);
    expect(curve.points.at(-1)?.y).toBe(0);
    expect(curve.range?.[0]).toBeCloseTo(binAxisCentre(symlogBin(0.5)));
    expect(curve.range?.[1]).toBeCloseTo(binAxisCentre(symlogBin(2)));
  });

  test('a histogram of only zeros has no range; bounds fall back to ±1 decade', () => {
    const curve = histogramCurve(histogramOf([0, 0]));
    expect(curve.range).toBeNull();
    expect(axisBounds([curve])).toEqual({ min: -1, max: 1 });
  });

  test('bounds cover every curve in whole decades (BN ±3 and no-BN ±100 on one axis)', () => {
    const bn = histogramCurve(histogramOf([-3, 3]));
    const noBn = histogramCurve(histogramOf([-100, 100]));
    const { min, max } = axisBounds([bn, noBn]);
    expect(axisToValue(min)).toBeLessThanOrEqual(-100);
    expect(axisToValue(max)).toBeGreaterThanOrEqual(100);
    expect(Number.isInteger(min) && Number.isInteger(max)).toBe(true);
  });
});

describe('mergeHistograms', () => {
  test('sums counts and totals of the seeds', () => {
    const merged = mergeHistograms([histogramOf([1, 0]), histogramOf([1])]);
    expect(merged?.total).toBe(3);
    expect(merged?.zeros).toBe(1);
    expect(merged?.counts[symlogBin(1)]).toBe(2);
    expect(mergeHistograms([])).toBeNull();
  });
});
