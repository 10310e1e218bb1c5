/**
 * Learning-curve series: per variant, the mean over its seeds of each epoch metric, and the
 * standard deviation and min–max when more than one seed has reached that epoch (drawn as a
 * band, clamped to the metric's valid range).
 */
import type { EventOf } from '../../main/api/index.js';

export type CurveMetric = 'loss' | 'accuracy';

export interface CurvePoint {
  epoch: number;
  mean: number;
  /** Population std over the seeds that reached this epoch; null with a single seed. */
  std: number | null;
  /** Lowest and highest seed at this epoch; null with a single seed. */
  min: number | null;
  max: number | null;
}

/** Values a metric can take: loss ≥ 0, accuracy 0–1. Bands are clamped to it. */
export const METRIC_RANGE: Record<CurveMetric, { min: number; max: number }> = {
  loss: { min: 0, max: Infinity },
  accuracy: { min: 0, max: 1 },
};

/** `value` moved into [min, max]. */
export function clampTo(value: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, value));
}

export interface VariantCurves {
  variant: string;
  index: number;
  train: CurvePoint[];
  val: CurvePoint[];
}

export interface VariantRuns {
  variant: string;
  /** One epoch list per seed's run. */
  epochsPerRun: readonly (readonly EventOf<'epoch'>[])[];
}

/** Mean and population standard deviation of a non-empty list. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

function aggregate(
  epochsPerRun: readonly (readonly EventOf<'epoch'>[])[],
  pick: (e: EventOf<'epoch'>) => number,
): CurvePoint[] {
  const byEpoch = new Map<number, number[]>();
  for (const epochs of epochsPerRun) {
    for (const e of epochs) {
      const list = byEpoch.get(e.epoch) ?? [];
      list.push(pick(e));
      byEpoch.set(e.epoch, list);
    }
  }
  const severalSeeds = epochsPerRun.length > 1;
  return [...byEpoch.entries()]
    .sort(([a], [b]) => a - b)
    .map(([epoch, values]) => {
      const { mean, std } = meanStd(values);
      const spread = severalSeeds && values.length > 1;
      return {
        epoch,
        mean,
        std: spread ? std : null,
        min: spread ? Math.min(...values) : null,
        max: spread ? Math.max(...values) : null,
      };
    });
}

/** Train and validation curves of one metric for every variant, in variant order. */
export function buildCurves(
  variants: readonly VariantRuns[],
  metric: CurveMetric,
): VariantCurves[] {
  return variants.map((v, index) => ({
    variant: v.variant,
    index,
    train: aggregate(v.epochsPerRun, (e) => (metric === 'loss' ? e.trainLoss : e.trainAccuracy)),
    val: aggregate(v.epochsPerRun, (e) => (metric === 'loss' ? e.valLoss : e.valAccuracy)),
  }));
}
