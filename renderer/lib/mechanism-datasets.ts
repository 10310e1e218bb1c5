/**
 * Chart.js datasets for the mechanism charts, from lib/mechanism-series.ts: plain data in, plain
 * config out (the components hand them to LineChart). Percent measures are scaled to 0–100.
 */
import type { LineDataset } from './chart-datasets.js';
import { variantColor, withAlpha } from './colors.js';
import type { EnsembleSeries, MeasureSeries } from './mechanism-series.js';

const DASH = [6, 4];

export interface LineStyle {
  /** Appended to the variant name in the legend. */
  suffix: string;
  dashed: boolean;
  /** Multiply values by 100. */
  percent: boolean;
  /** Draw mean ± spread as a band behind the line. */
  band: boolean;
}

/** One line per series (and its band when asked and available). */
export function measureDatasets(series: readonly MeasureSeries[], style: LineStyle): LineDataset[] {
  const scale = style.percent ? 100 : 1;
  return series.flatMap((s) => {
    const color = variantColor(s.index);
    const out: LineDataset[] = [];
    if (style.band && s.points.some((p) => p.spread !== null)) {
      const base = { borderWidth: 0, pointRadius: 0, label: '', parsing: false as const };
      out.push({
        ...base,
        data: s.points.map((p) => ({ x: p.x, y: (p.mean - (p.spread ?? 0)) * scale })),
        fill: false,
      });
      out.push({
        ...base,
        data: s.points.map((p) => ({ x: p.x, y: (p.mean + (p.spread ?? 0)) * scale })),
        fill: '-1',
        backgroundColor: withAlpha(color, 0.14),
      });
    }
    out.push({
      label: `${s.variant}${style.suffix}`,
      data: s.points.map((p) => ({ x: p.x, y: p.mean * scale })),
      borderColor: color,
      backgroundColor: color,
      borderDash: style.dashed ? DASH : [],
      borderWidth: 2,
      pointRadius: 2.5,
      fill: false,
      parsing: false,
    });
    return out;
  });
}

/**
 * MC-dropout accuracy (%) against log₂ k — k = 1, 2, 4 … 64 spaced evenly — and the weight-scaled
 * accuracy as a flat dashed reference line.
 */
export function ensembleDatasets(series: EnsembleSeries): LineDataset[] {
  const color = variantColor(series.index);
  const xs = series.points.map((p) => Math.log2(p.x));
  return [
    {
      label: `${series.variant}: average of k thinned networks`,
      data: series.points.map((p) => ({ x: Math.log2(p.x), y: p.mean * 100 })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      pointRadius: 3,
      fill: false,
      parsing: false,
    },
    {
      label: 'weight-scaled network (standard inference)',
      data: [Math.min(...xs), Math.max(...xs)].map((x) => ({
        x,
        y: series.weightScaledAccuracy * 100,
      })),
      borderColor: '#6b7280',
      backgroundColor: '#6b7280',
      borderDash: DASH,
      borderWidth: 1.5,
      pointRadius: 0,
      fill: false,
      parsing: false,
    },
  ];
}
