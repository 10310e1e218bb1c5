import type { Histogram } from './events.js';

/**
 * The one binning every activation histogram uses, so that any two runs, layers or epochs overlay
 * on one axis although their ranges differ by orders of magnitude (a no-BN pre-activation can
 * spread over ±100 where its BN twin stays within ±3).
 *
 * Scheme `symlog-v1`: a centre bin (−1e-4, 1e-4), then for each sign 16 log-spaced bins per decade
 * from 1e-4 to 1e4 (8 decades → 128 bins per sign), plus underflow (< −1e4) and overflow (≥ 1e4)
 * counts. Exact zeros (ReLU's spike) are counted in `zeros` and also in the centre bin.
 * Bin i covers [edges[i], edges[i+1]). Bins are fine (±15 % of the value), so a UI can re-bin them
 * onto a linear axis for one run or merge neighbours.
 */
export const HISTOGRAM_SCHEME = 'symlog-v1' as const;
export const SYMLOG_MIN = 1e-4;
export const SYMLOG_DECADES = 8;
export const SYMLOG_BINS_PER_DECADE = 16;
const PER_SIGN = SYMLOG_DECADES * SYMLOG_BINS_PER_DECADE;
/** Number of bins (counts.length): 128 negative, 1 centre, 128 positive. */
export const SYMLOG_BIN_COUNT = 2 * PER_SIGN + 1;

/** The bin edges, length SYMLOG_BIN_COUNT + 1, ascending, symmetric around 0. */
export function symlogEdges(): number[] {
  const positive: number[] = [];
  for (let i = 0; i <= PER_SIGN; i++) {
    positive.push(SYMLOG_MIN * 10 ** (i / SYMLOG_BINS_PER_DECADE));
  }
  return [...positive.map((v) => -v).reverse(), ...positive];
}

/** Bin index of a finite value, or -1 for underflow and SYMLOG_BIN_COUNT for overflow. */
export function symlogBin(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude < SYMLOG_MIN) return PER_SIGN;
  const k = Math.floor(Math.log10(magnitude / SYMLOG_MIN) * SYMLOG_BINS_PER_DECADE);
  if (k >= PER_SIGN) return value > 0 ? SYMLOG_BIN_COUNT : -1;
  return value > 0 ? PER_SIGN + 1 + k : PER_SIGN - 1 - k;
}

/** Representative value (geometric centre) of bin i, for drawing and re-binning. */
export function symlogBinCentre(i: number): number {
  if (i === PER_SIGN) return 0;
  const k = i > PER_SIGN ? i - PER_SIGN - 1 : PER_SIGN - 1 - i;
  const centre = SYMLOG_MIN * 10 ** ((k + 0.5) / SYMLOG_BINS_PER_DECADE);
  return i > PER_SIGN ? centre : -centre;
}

/** Sum of several histograms of the scheme (a variant's seeds) as one, or null when there are none. */
export function mergeHistograms(list: readonly Histogram[]): Histogram | null {
  const first = list[0];
  if (!first) return null;
  const counts = new Array<number>(SYMLOG_BIN_COUNT).fill(0);
  let underflow = 0;
  let overflow = 0;
  let zeros = 0;
  let total = 0;
  for (const h of list) {
    h.counts.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + c));
    underflow += h.underflow;
    overflow += h.overflow;
    zeros += h.zeros;
    total += h.total;
  }
  return { scheme: first.scheme, counts, underflow, overflow, zeros, total };
}
