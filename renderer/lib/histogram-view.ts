/**
 * Drawing `symlog-v1` histograms: merge a variant's seeds, and map bins onto a symmetric-log
 * axis. Axis coordinate u: 0 for the centre bin, ±(log10(|x| / 1e-4)) outside it, so one unit is
 * one decade and the tick at u = ±(k + 4) reads ±10^k. Exact zeros (ReLU's spike) are left out of
 * the plotted density and reported separately, or they would flatten every other bin.
 */
import {
  mergeHistograms,
  SYMLOG_BIN_COUNT,
  SYMLOG_BINS_PER_DECADE,
  SYMLOG_DECADES,
  SYMLOG_MIN,
  type Histogram,
} from '../../main/api/index.js';

export { mergeHistograms };

const PER_SIGN = SYMLOG_DECADES * SYMLOG_BINS_PER_DECADE;
const MIN_EXPONENT = Math.log10(SYMLOG_MIN);

/** Axis coordinate of the centre of bin i. */
export function binAxisCentre(i: number): number {
  if (i === PER_SIGN) return 0;
  const k = i > PER_SIGN ? i - PER_SIGN - 1 : PER_SIGN - 1 - i;
  const u = (k + 0.5) / SYMLOG_BINS_PER_DECADE;
  return i > PER_SIGN ? u : -u;
}

/** The value a symlog axis coordinate stands for (inverse of the axis mapping). */
export function axisToValue(u: number): number {
  if (u === 0) return 0;
  return Math.sign(u) * 10 ** (Math.abs(u) + MIN_EXPONENT);
}

/** Tick label for an integer axis coordinate: "0", "±10^k" written compactly. */
export function axisTickLabel(u: number): string {
  if (u === 0) return '0';
  const exponent = Math.round(Math.abs(u) + MIN_EXPONENT);
  const sign = u < 0 ? '−' : '';
  if (exponent === 0) return `${sign}1`;
  if (exponent === 1) return `${sign}10`;
  return `${sign}1e${exponent}`;
}

export interface HistogramCurve {
  /** Points (axis coordinate, fraction of all values per bin), non-zero bins' span only. */
  points: { x: number; y: number }[];
  /** Share of values that are exactly zero. */
  zeroFraction: number;
  /** Lowest and highest axis coordinates with any count (null when all values are zero). */
  range: [number, number] | null;
}

/** Turns a histogram into a plottable curve of per-bin fractions (zeros excluded). */
export function histogramCurve(h: Histogram): HistogramCurve {
  const total = Math.max(1, h.total);
  const points: { x: number; y: number }[] = [];
  let lo = -1;
  let hi = -1;
  h.counts.forEach((count, i) => {
    const c = i === PER_SIGN ? count - h.zeros : count;
    if (c > 0) {
      if (lo < 0) lo = i;
      hi = i;
    }
  });
  if (lo >= 0) {
    // Pad by one empty bin each side so the curve lands on zero.
    for (let i = Math.max(0, lo - 1); i <= Math.min(SYMLOG_BIN_COUNT - 1, hi + 1); i++) {
      const raw = h.counts[i] ?? 0;
      const c = i === PER_SIGN ? raw - h.zeros : raw;
      points.push({ x: binAxisCentre(i), y: Math.max(0, c) / total });
    }
  }
  return {
    points,
    zeroFraction: h.zeros / total,
    range: lo >= 0 ? [binAxisCentre(lo), binAxisCentre(hi)] : null,
  };
}

/** Axis bounds covering all curves, widened to whole decades (at least ±1 decade). */
export function axisBounds(curves: readonly HistogramCurve[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const c of curves) {
    if (!c.range) continue;
    min = Math.min(min, c.range[0]);
    max = Math.max(max, c.range[1]);
  }
  if (!Number.isFinite(min)) return { min: -1, max: 1 };
  return { min: Math.min(-1, Math.floor(min)), max: Math.max(1, Math.ceil(max)) };
}
