/**
 * Chart.js datasets built from the series of lib/curves.ts and lib/probe-series.ts. Plain data in,
 * plain config out, so the chart components only hand them to the one Chart instance they own.
 */
import type { ChartDataset } from 'chart.js';
import { clampTo, type CurvePoint, type VariantCurves } from './curves.js';
import type { SeedLine } from './seed-lines.js';
import { variantColor, withAlpha } from './colors.js';
import type { HealthSeries } from './probe-series.js';
import type { HistogramCurve } from './histogram-view.js';

/** A point; the tooltip shows `std` (± std) or `min`/`max` (the seeds' range) where present. */
export interface LinePoint {
  x: number;
  y: number;
  std?: number;
  min?: number;
  max?: number;
}

/**
 * A Chart.js line dataset plus what the chart's legend, tooltip and CSV need: `group` names the
 * labelled series a band or seed line belongs to (hidden with it, no legend entry of its own).
 */
export type LineDataset = ChartDataset<'line', LinePoint[]> & { group?: string };

const DASH = [6, 4];
const DOTTED = [2, 3];
/** Runs that did not learn: grey whatever their variant, so they read as "set aside". */
export const NOT_LEARNED_COLOR = '#8c959f';

/** "mean ± std", "mean with min–max" (the band spans the lowest to the highest seed), "every seed". */
export type CurveMode = 'std' | 'minmax' | 'seeds';

export interface CurveOptions {
  mode?: CurveMode;
  /** Multiplies every value (100 shows accuracies in %). */
  scale?: number;
  /** The metric's valid range, in the values' own unit (before `scale`): bands are clamped to it. */
  range?: { min: number; max: number };
  /** Per-seed lines: every seed in mode 'seeds', only the runs that did not learn otherwise. */
  seeds?: readonly SeedLine[];
}

const splitName = (split: 'train' | 'val') => (split === 'train' ? 'train' : 'validation');

/**
 * Mean lines (train solid, validation dashed) per variant, with a band (± std or min–max, clamped
 * to the metric's range) or thin per-seed lines under them; runs that did not learn grey and
 * dotted, in every mode.
 */
export function curveDatasets(
  curves: readonly VariantCurves[],
  options: CurveOptions = {},
): LineDataset[] {
  const { mode = 'std', scale = 1, range = { min: -Infinity, max: Infinity } } = options;
  const clamp = (v: number) => clampTo(v, range) * scale;
  const out: LineDataset[] = [];
  for (const c of curves) {
    const color = variantColor(c.index);
    for (const split of ['train', 'val'] as const) {
      const points = c[split];
      if (points.length === 0) continue;
      const dashed = split === 'val';
      const label = `${c.variant} ${splitName(split)}`;
      const edges = (p: CurvePoint): [number, number] | null => {
        if (mode === 'std' && p.std !== null) return [p.mean - p.std, p.mean + p.std];
        if (mode === 'minmax' && p.min !== null && p.max !== null) return [p.min, p.max];
        return null;
      };
      if (mode !== 'seeds' && points.some((p) => edges(p) !== null)) {
        // Band: the lower edge, then the upper edge filled down to it ('-1').
        const base = {
          borderWidth: 0,
          pointRadius: 0,
          label: '',
          group: label,
          parsing: false as const,
        };
        out.push({
          ...base,
          data: points.map((p) => ({ x: p.epoch, y: clamp(edges(p)?.[0] ?? p.mean) })),
          fill: false,
        });
        out.push({
          ...base,
          data: points.map((p) => ({ x: p.epoch, y: clamp(edges(p)?.[1] ?? p.mean) })),
          fill: '-1',
          backgroundColor: withAlpha(color, dashed ? 0.1 : 0.16),
        });
      }
      out.push({
        label,
        data: points.map((p) => ({
          x: p.epoch,
          y: p.mean * scale,
          ...(p.std !== null ? { std: p.std * scale } : {}),
          ...(p.min !== null && p.max !== null ? { min: p.min * scale, max: p.max * scale } : {}),
        })),
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
  for (const line of options.seeds ?? []) {
    if (line.points.length === 0 || (mode !== 'seeds' && line.learned)) continue;
    const color = line.learned ? withAlpha(variantColor(line.index), 0.6) : NOT_LEARNED_COLOR;
    out.push({
      label: `${line.variant} seed ${line.seed} ${splitName(line.split)}${line.learned ? '' : ' (did not learn)'}`,
      // A seed line hides with its variant's mean; a run that did not learn has its own entry.
      ...(line.learned ? { group: `${line.variant} ${splitName(line.split)}` } : {}),
      data: line.points.map((p) => ({ x: p.epoch, y: p.value * scale })),
      borderColor: color,
      backgroundColor: color,
      borderDash: line.learned ? (line.split === 'val' ? DASH : []) : DOTTED,
      borderWidth: 1,
      pointRadius: 0,
      fill: false,
      parsing: false,
    });
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

/**
 * Datasets for a log y axis: a band edge at or below 0 (a loss band clamped at 0) is raised to the
 * smallest positive value any series shows, so the band reaches the bottom of the data instead of
 * vanishing; series values are left alone (a log axis skips values ≤ 0).
 */
export function forLogScale(datasets: readonly LineDataset[]): LineDataset[] {
  let floor = Infinity;
  for (const d of datasets) for (const p of d.data) if (p.y > 0 && p.y < floor) floor = p.y;
  if (!Number.isFinite(floor)) return [...datasets];
  return datasets.map((d) =>
    d.label || d.data.every((p) => p.y > 0)
      ? d
      : { ...d, data: d.data.map((p) => (p.y > 0 ? p : { ...p, y: floor })) },
  );
}
