import { describe, expect, test } from 'vitest';
import {
  SYMLOG_BIN_COUNT,
  symlogBin,
  type EventOf,
  type Histogram,
  type LayerProbe,
} from '../../../../main/api/index.js';
import {
  BAND_PERCENTILES,
  coarseHistogramCurve,
  histogramPercentiles,
  layerDistributions,
  valueToAxis,
} from '../../../../renderer/lib/distributions.js';
import { axisToValue, histogramCurve } from '../../../../renderer/lib/histogram-view.js';

/** A histogram counted exactly as the trainer's probes count (symlogBin, zeros also in the centre). */
function histogramOf(values: number[]): Histogram {
  const counts = new Array<number>(SYMLOG_BIN_COUNT).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (const v of values) {
    const bin = symlogBin(v);
    if (bin < 0) underflow += 1;
    else if (bin >= SYMLOG_BIN_COUNT) overflow += 1;
    else counts[bin]! += 1;
  }
  return {
    scheme: 'symlog-v1',
    counts,
    underflow,
    overflow,
    zeros: values.filter((v) => v === 0).length,
    total: values.length,
  };
}

/** Deterministic values over many decades and both signs (a seeded LCG, no Math.random). */
function spreadValues(n: number): number[] {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: n }, () => {
    const magnitude = 10 ** (next() * 7 - 3.5); // 3e-4 … 3e3
    return next() < 0.3 ? -magnitude : magnitude;
  });
}

/** The exact q-th percentile of sorted values: the value at rank ⌈q/100 · n⌉ (1-based, ≥ 1). */
function exactPercentile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const ONE_BIN = 10 ** (1 / 16);

describe('percentiles from symlog bins', () => {
  test('every band percentile lies within one bin (factor 10^(1/16)) of the exact one', () => {
    const values = spreadValues(5000);
    const sorted = [...values].sort((a, b) => a - b);
    const qs = [...BAND_PERCENTILES, 1, 25, 75, 99];
    const estimated = histogramPercentiles(histogramOf(values), qs)!;
    qs.forEach((q, i) => {
      const exact = exactPercentile(sorted, q);
      const got = estimated[i]!;
      expect(Math.sign(got), `q=${q}`).toBe(Math.sign(exact));
      const ratio = got / exact;
      expect(ratio, `q=${q}: ${got} vs ${exact}`).toBeGreaterThanOrEqual(1 / ONE_BIN - 1e-9);
      expect(ratio, `q=${q}: ${got} vs ${exact}`).toBeLessThanOrEqual(ONE_BIN + 1e-9);
    });
  });

  test('percentiles are ascending in q', () => {
    const p = histogramPercentiles(histogramOf(spreadValues(700)), BAND_PERCENTILES)!;
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThanOrEqual(p[i - 1]!);
  });

  test('0 and 100 are the outer edges of the lowest and highest occupied bins', () => {
    const [min, max] = histogramPercentiles(histogramOf([0.5, 2, 3, 40]), [0, 100])!;
    expect(symlogBin(min!)).toBe(symlogBin(0.5));
    expect(min!).toBeLessThanOrEqual(0.5);
    expect(max!).toBeGreaterThan(40);
    expect(max! / 40).toBeLessThanOrEqual(ONE_BIN);
  });

  test('a single value: every percentile stays inside its bin', () => {
    const p = histogramPercentiles(histogramOf(new Array<number>(10).fill(-3)), BAND_PERCENTILES)!;
    for (const v of p) {
      expect(v).toBeLessThan(0);
      expect(Math.abs(v) / 3).toBeGreaterThanOrEqual(1 / ONE_BIN);
      expect(Math.abs(v) / 3).toBeLessThanOrEqual(ONE_BIN);
    }
  });

  test('ReLU outputs: the share that is exactly zero reads as 0, the rest as positive values', () => {
    // 60 % zeros: percentiles up to 60 are 0, above it positive.
    const values = [
      ...new Array<number>(60).fill(0),
      ...Array.from({ length: 40 }, (_, i) => 0.1 + i / 10),
    ];
    const [p31, p50, p69, p93] = histogramPercentiles(histogramOf(values), [31, 50, 69, 93])!;
    expect(p31).toBe(0);
    expect(p50).toBe(0);
    expect(p69!).toBeGreaterThan(0.5);
    expect(p93!).toBeGreaterThan(p69!);
  });

  test('values beyond ±1e4 read as ∓1e4 and 1e4; an empty histogram has none', () => {
    const [lo, hi] = histogramPercentiles(histogramOf([-5e6, 1, 2, 7e5]), [0, 100])!;
    expect(lo).toBeCloseTo(-1e4, 6);
    expect(hi).toBeCloseTo(1e4, 6);
    expect(histogramPercentiles(histogramOf([]), [50])).toBeNull();
  });

  test('bad input is refused with a message', () => {
    const h = histogramOf([1]);
    expect(() => histogramPercentiles(h, [101])).toThrow(/101 is outside \[0, 100\]/);
    expect(() => histogramPercentiles(h, [Number.NaN])).toThrow(/outside/);
    expect(() => histogramPercentiles({ ...h, counts: [1, 2] }, [50])).toThrow(/2 bins, expected/);
  });

  test('valueToAxis inverts the histogram axis mapping (which folds |x| ≤ 1e-4 onto 0)', () => {
    for (const x of [-2500, -1, -3e-4, 0, 5e-5, 1e-4, 0.37, 12, 9999]) {
      const back = axisToValue(valueToAxis(x));
      if (Math.abs(x) <= 1e-4) expect(back).toBe(0);
      else expect(back).toBeCloseTo(x, 8);
    }
  });
});

const emptyStats = { mean: 0, std: 0, min: 0, max: 0 };
function probeOf(epoch: number, pre: number[]): EventOf<'probe'> {
  const layer: LayerProbe = {
    layer: 'conv1',
    type: 'conv',
    activation: 'relu',
    units: 4,
    pre: histogramOf(pre),
    post: histogramOf(pre.map((v) => Math.max(0, v))),
    preStats: emptyStats,
    postStats: emptyStats,
    deadUnits: 0,
    deadFraction: 0,
    saturatedFraction: null,
  };
  return { kind: 'probe', time: epoch, epoch, step: epoch, epochEnd: true, layers: [layer] };
}

describe('distributions over epochs', () => {
  test("a variant's seeds are pooled: the median is that of all values, not a mean of medians", () => {
    const seedA = [
      probeOf(1, new Array<number>(10).fill(1)),
      probeOf(2, new Array<number>(10).fill(1)),
    ];
    const seedB = [probeOf(1, new Array<number>(30).fill(100))];
    const [series] = layerDistributions(
      [{ variant: 'no-bn', probesPerRun: [seedA, seedB] }],
      'conv1',
      'pre',
    );
    expect(series?.points.map((p) => [p.epoch, p.seeds])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    const median = (e: number) => series!.points.find((p) => p.epoch === e)!.percentiles[4]!;
    // Pooled: 30 of 40 values are 100, so the median is in 100's bin (a mean of medians: 50.5).
    expect(median(1) / 100).toBeGreaterThan(1 / ONE_BIN);
    expect(median(1) / 100).toBeLessThan(ONE_BIN);
    // Epoch 2 has seed A only.
    expect(median(2)).toBeLessThan(ONE_BIN);
  });

  test('post-activation values of a ReLU layer start at 0', () => {
    const [series] = layerDistributions(
      [{ variant: 'v', probesPerRun: [[probeOf(1, [-2, -1, 1, 2])]] }],
      'conv1',
      'post',
    );
    expect(series?.points[0]?.percentiles[0]).toBe(0);
  });

  test('a layer no variant has gives no series', () => {
    expect(
      layerDistributions([{ variant: 'v', probesPerRun: [[probeOf(1, [1])]] }], 'dense9', 'pre'),
    ).toEqual([]);
  });
});

describe('coarser histogram bins', () => {
  test('merging 4 bins keeps every value, on bins shared by every run', () => {
    const values = spreadValues(400).map((v) => (Math.abs(v) > 1e3 ? 0 : v));
    const h = histogramOf(values);
    const fine = histogramCurve(h);
    const coarse = coarseHistogramCurve(h, 4);
    const sum = (c: typeof fine) => c.points.reduce((s, p) => s + p.y, 0);
    expect(sum(coarse)).toBeCloseTo(sum(fine), 10);
    expect(coarse.zeroFraction).toBe(fine.zeroFraction);
    // Coarse centres sit on a fixed grid of quarter decades (+1/8), the same for any histogram.
    for (const p of coarse.points) {
      if (p.x !== 0)
        expect(Math.abs(p.x) * 4 - 0.5).toBeCloseTo(Math.round(Math.abs(p.x) * 4 - 0.5), 10);
    }
    expect(coarse.points.length).toBeLessThan(fine.points.length);
  });

  test('factor 1 is the fine curve; a factor that does not divide 16 is refused', () => {
    const h = histogramOf([0.01, 0.02, -3, 0]);
    const fine = histogramCurve(h);
    const same = coarseHistogramCurve(h, 1);
    expect(same.points.filter((p) => p.y > 0)).toEqual(fine.points.filter((p) => p.y > 0));
    expect(() => coarseHistogramCurve(h, 3)).toThrow(/divisor of 16/);
  });
});
