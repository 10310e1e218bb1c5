/**
 * Series of the issue-8 probes for the experiment view, per variant, seeds pooled by their mean:
 * a per-layer measure over epochs (linear-region share, BN γ/β with the spread across units,
 * gradient norm, zero-gradient share), BN's batch- vs moving-statistics accuracy over epochs, and
 * MC-dropout accuracy against k at the latest probe. Variants without the data get no series, so a
 * chart with no series is not shown.
 */
import type { EventOf, LayerProbe } from '../../main/api/index.js';
import type { VariantProbes } from './probe-series.js';

export interface MeasurePoint {
  /** Epoch, or k for the ensemble curve. */
  x: number;
  mean: number;
  /** Mean over seeds of a spread (e.g. γ's std across units); null when not asked for. */
  spread: number | null;
}

export interface MeasureSeries {
  variant: string;
  index: number;
  points: MeasurePoint[];
}

type Pick<T> = (item: T) => number | null | undefined;

const average = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function pooled(
  v: VariantProbes,
  pick: Pick<EventOf<'probe'>>,
  spread?: Pick<EventOf<'probe'>>,
): MeasurePoint[] {
  const byEpoch = new Map<number, { values: number[]; spreads: number[] }>();
  for (const probes of v.probesPerRun) {
    for (const p of probes) {
      const value = pick(p);
      if (value === null || value === undefined) continue;
      const entry = byEpoch.get(p.epoch) ?? { values: [], spreads: [] };
      entry.values.push(value);
      const s = spread?.(p);
      if (s !== null && s !== undefined) entry.spreads.push(s);
      byEpoch.set(p.epoch, entry);
    }
  }
  return [...byEpoch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([x, { values, spreads }]) => ({
      x,
      mean: average(values),
      spread: spreads.length ? average(spreads) : null,
    }));
}

/** One layer's measure over epochs, per variant that has it. */
export function layerMeasure(
  variants: readonly VariantProbes[],
  layer: string,
  pick: Pick<LayerProbe>,
  spread?: Pick<LayerProbe>,
): MeasureSeries[] {
  const inLayer =
    (f: Pick<LayerProbe>): Pick<EventOf<'probe'>> =>
    (p) => {
      const l = p.layers.find((x) => x.layer === layer);
      return l ? f(l) : null;
    };
  return variants.flatMap((v, index) => {
    const points = pooled(v, inLayer(pick), spread ? inLayer(spread) : undefined);
    return points.length ? [{ variant: v.variant, index, points }] : [];
  });
}

/** A per-probe measure over epochs (BN modes), per variant that has it. */
export function probeMeasure(
  variants: readonly VariantProbes[],
  pick: Pick<EventOf<'probe'>>,
): MeasureSeries[] {
  return variants.flatMap((v, index) => {
    const points = pooled(v, pick);
    return points.length ? [{ variant: v.variant, index, points }] : [];
  });
}

export interface EnsembleSeries {
  variant: string;
  index: number;
  /** Latest probe epoch among the seeds. */
  epoch: number;
  /** x = k thinned networks averaged; mean accuracy over seeds. */
  points: MeasurePoint[];
  weightScaledAccuracy: number;
}

/** MC-dropout accuracy against k at each seed's latest probe that has it, per dropout variant. */
export function ensembleSeries(variants: readonly VariantProbes[]): EnsembleSeries[] {
  return variants.flatMap((v, index) => {
    const latest = v.probesPerRun.flatMap((probes) => {
      const p = probes.filter((x) => x.dropoutEnsemble).at(-1);
      return p?.dropoutEnsemble ? [{ epoch: p.epoch, e: p.dropoutEnsemble }] : [];
    });
    if (latest.length === 0) return [];
    const ks = [...new Set(latest.flatMap((l) => l.e.samples))].sort((a, b) => a - b);
    const points = ks.flatMap((k) => {
      const values = latest.flatMap((l) => {
        const value = l.e.thinnedAccuracy[l.e.samples.indexOf(k)];
        return value === undefined ? [] : [value];
      });
      return values.length ? [{ x: k, mean: average(values), spread: null }] : [];
    });
    return [
      {
        variant: v.variant,
        index,
        epoch: Math.max(...latest.map((l) => l.epoch)),
        points,
        weightScaledAccuracy: average(latest.map((l) => l.e.weightScaledAccuracy)),
      },
    ];
  });
}
