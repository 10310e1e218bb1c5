/**
 * Charts as plain data: the HTML report embeds these and its inline script turns each into a
 * Chart.js line chart. Keeping the models here (not in the browser script) makes them testable and
 * lets every format agree on what the charts are.
 */

/** One line; `data` is aligned with the chart's `labels` (null: no value at that x). */
export interface ChartSeries {
  label: string;
  color: string;
  dashed: boolean;
  data: (number | null)[];
  /** Mean ± std band drawn behind the line (several seeds), clipped to the chart's y range. */
  band: { lower: (number | null)[]; upper: (number | null)[] } | null;
  /**
   * Absent: a variant's line. `seed`: one seed's own line, thin and faint under its variant's
   * mean, not in the legend. `not-learned`: a run that did not learn (left out of the mean),
   * dotted, its legend label says so.
   */
  style?: 'seed' | 'not-learned';
}

export type ChartSection =
  | 'curves'
  | 'histograms'
  | 'dead'
  | 'saturation'
  | 'linear'
  | 'bn-params'
  | 'bn-modes'
  | 'ensemble';

/** A chart's y range where the metric bounds it. */
export interface ValueRange {
  yMin?: number;
  yMax?: number;
}

/** Accuracy and unit fractions live in [0, 1], losses in [0, ∞). */
export const FRACTION_RANGE: ValueRange = { yMin: 0, yMax: 1 };
export const LOSS_RANGE: ValueRange = { yMin: 0 };

export interface ChartModel {
  /** Unique, file-name safe; PNG files are named after it. */
  id: string;
  section: ChartSection;
  /** Sub-heading the chart is grouped under (a layer name), or null. */
  group: string | null;
  title: string;
  xLabel: string;
  yLabel: string;
  labels: string[];
  /** Sparse x tick labels (null: no tick) for the histogram axis; null: every label. */
  ticks: (string | null)[] | null;
  yFormat: 'percent' | 'number';
  /** The metric's valid range: the y axis never goes below `yMin` / above `yMax` (absent: free). */
  yMin?: number;
  yMax?: number;
  /** Histograms: bars of one bin, drawn as steps. */
  stepped: boolean;
  series: ChartSeries[];
}

/** Clips a value to [min, max] (either bound absent: open on that side); null stays null. */
export function clampTo(
  value: number | null,
  range: { yMin?: number; yMax?: number },
): number | null {
  if (value === null) return null;
  const low = range.yMin ?? -Infinity;
  const high = range.yMax ?? Infinity;
  return Math.min(high, Math.max(low, value));
}

/** Tableau 10: distinct, colour-blind-aware, prints well. One per variant, in spec order. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of the variant at this index (cycles past ten variants). */
export function variantColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#4e79a7';
}

/** A string reduced to letters, digits and `-`, for chart ids and file names. */
export function slugPart(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'x';
}
