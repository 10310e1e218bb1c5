/**
 * A layer's activation distribution over epochs, read from the `symlog-v1` histograms the probes
 * record (main/api/histogram.ts): percentiles computed from the bins, the series per variant
 * (seeds pooled), and coarser bins for a smoother histogram. Pure functions of plain data.
 *
 * Percentiles work on the symlog axis of lib/histogram-view.ts (u = ±log10(|x| / 1e-4), one unit
 * per decade): inside a bin the values are taken as spread evenly in u, i.e. geometrically in x.
 * The true value lies in the same bin as the one returned, so for |x| ≥ 1e-4 the error is below
 * one bin: a factor 10^(1/16) ≈ 1.155 (about ±15 %). Values in the centre bin (|x| < 1e-4,
 * exact zeros included) read as 0; underflow and overflow (beyond ±1e4) read as ∓1e4 / 1e4.
 */
import {
  SYMLOG_BIN_COUNT,
  SYMLOG_BINS_PER_DECADE,
  SYMLOG_DECADES,
  SYMLOG_MIN,
  type Histogram,
} from '../../main/api/index.js';
import { axisToValue, mergeHistograms, type HistogramCurve } from './histogram-view.js';
import type { VariantProbes } from './probe-series.js';

const PER_SIGN = SYMLOG_DECADES * SYMLOG_BINS_PER_DECADE;

/** The percentiles TensorBoard's distributions dashboard draws (0 … 100, symmetric bands). */
export const BAND_PERCENTILES = [0, 7, 16, 31, 50, 69, 84, 93, 100] as const;

/** Symlog axis coordinate of a value (inverse of histogram-view's axisToValue); 0 inside ±1e-4. */
export function valueToAxis(x: number): number {
  const magnitude = Math.abs(x);
  if (magnitude < SYMLOG_MIN) return 0;
  return Math.sign(x) * Math.log10(magnitude / SYMLOG_MIN);
}

/** The axis interval [lo, hi] that bin i covers (the centre bin is the single point 0). */
function binAxisSpan(i: number): [number, number] {
  if (i === PER_SIGN) return [0, 0];
  const k = i > PER_SIGN ? i - PER_SIGN - 1 : PER_SIGN - 1 - i;
  const inner = k / SYMLOG_BINS_PER_DECADE;
  const outer = (k + 1) / SYMLOG_BINS_PER_DECADE;
  return i > PER_SIGN ? [inner, outer] : [-outer, -inner];
}

/**
 * The q-th percentiles (q in [0, 100]) of the values a histogram counts, as values (not axis
 * coordinates): the value below which a share q / 100 of all `total` values lie, interpolated
 * inside its bin (see the file comment for the precision). Null for an empty histogram.
 * Throws on a q outside [0, 100] or a histogram of another length.
 */
export function histogramPercentiles(h: Histogram, qs: readonly number[]): number[] | null {
  if (h.counts.length !== SYMLOG_BIN_COUNT) {
    throw new Error(`histogram has ${h.counts.length} bins, expected ${SYMLOG_BIN_COUNT}`);
  }
  for (const q of qs) {
    if (!(q >= 0 && q <= 100)) throw new Error(`percentile ${q} is outside [0, 100]`);
  }
  const edge = SYMLOG_DECADES;
  // Ordered cells on the axis: underflow (a point at −8), the bins, overflow (a point at +8).
  const cells: { count: number; lo: number; hi: number }[] = [
    { count: h.underflow, lo: -edge, hi: -edge },
    ...h.counts.map((count, i) => {
      const [lo, hi] = binAxisSpan(i);
      return { count, lo, hi };
    }),
    { count: h.overflow, lo: edge, hi: edge },
  ];
  const total = cells.reduce((n, c) => n + c.count, 0);
  if (total === 0) return null;
  return qs.map((q) => {
    const rank = (q / 100) * total;
    let before = 0;
    for (const c of cells) {
      if (c.count === 0) continue;
      // q = 0 lands on the lower edge of the first non-empty cell.
      if (rank <= before + c.count) {
        const within = Math.max(0, rank - before) / c.count;
        return axisToValue(c.lo + within * (c.hi - c.lo));
      }
      before += c.count;
    }
    // Only rounding can reach here (rank = total): the upper edge of the last non-empty cell.
    const last = cells.findLast((c) => c.count > 0);
    return axisToValue(last?.hi ?? 0);
  });
}

export interface DistributionPoint {
  epoch: number;
  /** Values at BAND_PERCENTILES, ascending. */
  percentiles: number[];
  /** Seeds pooled into this point. */
  seeds: number;
}

export interface DistributionSeries {
  variant: string;
  index: number;
  points: DistributionPoint[];
}

/**
 * Per variant, the percentiles of a layer's pre- or post-activation values at every epoch with a
 * probe. A variant's seeds are pooled: their histograms at the same epoch are summed first, so a
 * percentile is one of all the seeds' values together (not an average of per-seed percentiles).
 */
export function layerDistributions(
  variants: readonly VariantProbes[],
  layer: string,
  side: 'pre' | 'post',
): DistributionSeries[] {
  const out: DistributionSeries[] = [];
  variants.forEach((v, index) => {
    const byEpoch = new Map<number, Histogram[]>();
    for (const probes of v.probesPerRun) {
      for (const p of probes) {
        const l = p.layers.find((x) => x.layer === layer);
        if (!l) continue;
        const list = byEpoch.get(p.epoch) ?? [];
        list.push(l[side]);
        byEpoch.set(p.epoch, list);
      }
    }
    const points: DistributionPoint[] = [];
    for (const [epoch, list] of [...byEpoch.entries()].sort(([a], [b]) => a - b)) {
      const merged = mergeHistograms(list);
      const percentiles = merged ? histogramPercentiles(merged, BAND_PERCENTILES) : null;
      if (percentiles) points.push({ epoch, percentiles, seeds: list.length });
    }
    if (points.length > 0) out.push({ variant: v.variant, index, points });
  });
  return out;
}

/**
 * A histogram curve on coarser bins: `factor` neighbouring bins of each sign merged (16 per decade
 * ÷ factor), the centre bin kept, exact zeros left out as in histogramCurve. Every run is merged
 * the same way, so curves of several variants still overlay exactly. factor must divide 16.
 */
export function coarseHistogramCurve(h: Histogram, factor: number): HistogramCurve {
  if (!Number.isInteger(factor) || factor < 1 || SYMLOG_BINS_PER_DECADE % factor !== 0) {
    throw new Error(`factor ${factor} must be a whole divisor of ${SYMLOG_BINS_PER_DECADE}`);
  }
  const groups = PER_SIGN / factor;
  const negative = new Array<number>(groups).fill(0);
  const positive = new Array<number>(groups).fill(0);
  h.counts.forEach((count, i) => {
    if (i === PER_SIGN) return;
    const k = i > PER_SIGN ? i - PER_SIGN - 1 : PER_SIGN - 1 - i;
    const target = i > PER_SIGN ? positive : negative;
    const g = Math.floor(k / factor);
    target[g] = (target[g] ?? 0) + count;
  });
  const centre = Math.max(0, (h.counts[PER_SIGN] ?? 0) - h.zeros);
  const width = factor / SYMLOG_BINS_PER_DECADE;
  // Cells left to right: negative groups from the outside in, the centre, positive groups.
  const cells = [
    ...negative.map((c, g) => ({ x: -(g + 0.5) * width, c })).reverse(),
    { x: 0, c: centre },
    ...positive.map((c, g) => ({ x: (g + 0.5) * width, c })),
  ];
  const total = Math.max(1, h.total);
  const lo = cells.findIndex((cell) => cell.c > 0);
  const hi = cells.findLastIndex((cell) => cell.c > 0);
  const points =
    lo < 0
      ? []
      : cells
          .slice(Math.max(0, lo - 1), Math.min(cells.length, hi + 2))
          .map((cell) => ({ x: cell.x, y: cell.c / total }));
  return {
    points,
    zeroFraction: h.zeros / total,
    range: lo < 0 ? null : [cells[lo]!.x, cells[hi]!.x],
  };
}
