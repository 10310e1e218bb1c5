/**
 * Chart.js datasets built from the series of lib/curves.ts and lib/probe-series.ts. Plain data in,
 * plain config out, so the chart components only hand them to the one Chart instance they own.
 */
import type { ChartDataset } from 'chart.js';
import type { VariantCurves } from './curves.js';
import { variantColor, withAlpha } from './colors.js';
import type { HealthSeries } from './probe-series.js';
import type { HistogramCurve } from './histogram-view.js';

export type LineDataset = ChartDataset<'line', { x: number; y: number }[]>;

const DASH = [6, 4];

/** Mean lines (train solid, validation dashed) and ±std bands for each variant. */
export function curveDatasets(curves: readonly VariantCurves[]): LineDataset[] {
  const out: LineDataset[] = [];
  for (const c of curves) {
    const color = variantColor(c.index);
    for (const split of ['train', 'val'] as const) {
      const points = c[split];
      const dashed = split === 'val';
      if (points.some((p) => p.std !== null)) {
        // Band: the lower edge, then the upper edge filled down to it ('-1').
        const base = { borderWidth: 0, pointRadius: 0, label: '', parsing: false as const };
        out.push({
          ...base,
          data: points.map((p) => ({ x: p.epoch, y: p.mean - (p.std ?? 0) })),
          fill: false,
        });
        out.push({
          ...base,
          data: points.map((p) => ({ x: p.epoch, y: p.mean + (p.std ?? 0) })),
          fill: '-1',
          backgroundColor: withAlpha(color, dashed ? 0.1 : 0.16),
        });
      }
      out.push({
        label: `${c.variant} ${split === 'train' ? 'train' : 'validation'}`,
        data: points.map((p) => ({ x: p.epoch, y: p.mean })),
        borderColor: color,
        backgroundColor: color,
        borderDash: dashed ? DASH : [],
        borderWidth: 2,
        pointRadius: 2.5,
        fill: false,
        parsing: false,
      });
    }
  }
  return out;
}

/** Dead / saturated percentage lines, one per variant. */
export function healthDatasets(series: readonly HealthSeries[]): LineDataset[] {
  return series.map((s) => {
    const color = variantColor(s.index);
    return {
      label: `${s.variant} (${s.measure === 'dead' ? 'dead units' : 'saturated values'})`,
      data: s.points.map((p) => ({ x: p.epoch, y: p.value * 100 })),
      borderColor: color,
      backgroundColor: color,
      borderDash: s.measure === 'saturated' ? DASH : [],
      borderWidth: 2,
      pointRadius: 3,
      fill: false,
      parsing: false,
    };
  });
}

/** Overlaid histogram curves, one per variant, lightly filled. */
export function histogramDatasets(
  curves: readonly { variant: string; index: number; curve: HistogramCurve }[],
): LineDataset[] {
  return curves.map(({ variant, index, curve }) => {
    const color = variantColor(index);
    const zeros =
      curve.zeroFraction > 0.0005
        ? ` — ${(curve.zeroFraction * 100).toFixed(1)} % exact zeros`
        : '';
    return {
      label: `${variant}${zeros}`,
      data: curve.points.map((p) => ({ x: p.x, y: p.y * 100 })),
      borderColor: color,
      backgroundColor: withAlpha(color, 0.18),
      borderWidth: 1.5,
      pointRadius: 0,
      stepped: 'middle',
      fill: 'origin',
      parsing: false,
    };
  });
}
