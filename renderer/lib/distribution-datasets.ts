/**
 * Chart.js datasets for the distributions-over-time view (percentile bands on the symlog axis)
 * and the markers that keep coinciding dead-unit lines apart. Plain data in, plain config out.
 */
import type { LineDataset } from './chart-datasets.js';
import { variantColor, withAlpha } from './colors.js';
import { BAND_PERCENTILES, valueToAxis, type DistributionSeries } from './distributions.js';

/** Index of a percentile in BAND_PERCENTILES (they are fixed, so this never misses). */
const at = (q: (typeof BAND_PERCENTILES)[number]) => BAND_PERCENTILES.indexOf(q);

/** Outer to inner: [low, high] percentile pairs and the band's opacity. */
const ALL_BANDS = [
  [0, 100, 0.1],
  [7, 93, 0.16],
  [16, 84, 0.24],
  [31, 69, 0.34],
] as const;
const OVERLAID_BANDS = [[16, 84, 0.2]] as const;

function band(
  s: DistributionSeries,
  lo: (typeof BAND_PERCENTILES)[number],
  hi: (typeof BAND_PERCENTILES)[number],
  alpha: number,
): LineDataset[] {
  const base = { borderWidth: 0, pointRadius: 0, label: '', parsing: false as const };
  const edge = (q: typeof lo) =>
    s.points.map((p) => ({ x: p.epoch, y: valueToAxis(p.percentiles[at(q)] ?? 0) }));
  return [
    { ...base, data: edge(lo), fill: false },
    {
      ...base,
      data: edge(hi),
      fill: '-1',
      backgroundColor: withAlpha(variantColor(s.index), alpha),
    },
  ];
}

/**
 * Percentile bands and the median line of each series, y on the symlog axis. `all` draws the
 * four bands 0–100, 7–93, 16–84, 31–69 % (for one variant per chart); `overlaid` only 16–84 %, so
 * several variants stay readable on one chart.
 */
export function distributionDatasets(
  series: readonly DistributionSeries[],
  bands: 'all' | 'overlaid',
): LineDataset[] {
  const out: LineDataset[] = [];
  for (const s of series) {
    for (const [lo, hi, alpha] of bands === 'all' ? ALL_BANDS : OVERLAID_BANDS)
      out.push(...band(s, lo, hi, alpha));
    const color = variantColor(s.index);
    out.push({
      label: `${s.variant} median`,
      data: s.points.map((p) => ({ x: p.epoch, y: valueToAxis(p.percentiles[at(50)] ?? 0) })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 2.5,
      fill: false,
      parsing: false,
    });
  }
  return out;
}

const MARKERS = [
  'circle',
  'triangle',
  'rect',
  'rectRot',
  'star',
  'crossRot',
  'cross',
  'rectRounded',
];

/**
 * Gives each labelled series its own hollow marker shape, the first the largest, so that lines
 * lying on top of each other (every variant at 0 % dead) still show every variant: the markers
 * nest instead of hiding each other. Values are left exactly where they are.
 */
export function withDistinctMarkers(datasets: readonly LineDataset[]): LineDataset[] {
  const n = datasets.length;
  return datasets.map((d, i) => ({
    ...d,
    pointStyle: MARKERS[i % MARKERS.length],
    pointRadius: Math.min(9, 3 + 1.5 * (n - 1 - i)),
    pointBorderWidth: 1.5,
    pointBackgroundColor: 'transparent',
  }));
}
