/** Per-epoch series aggregated over a variant's seeds: the curves and probe lines of a report. */
import type { Activation } from '../api/config.js';
import { epochEvents, epochProbes, type EpochEvent, type ReportRun } from './data.js';
import { meanStd, type MeanStd } from './stats.js';

/** One epoch of a curve: mean ± sample std over the seeds that reached that epoch (n of them). */
export interface CurvePoint extends MeanStd {
  epoch: number;
}

export interface VariantCurves {
  trainLoss: CurvePoint[];
  valLoss: CurvePoint[];
  trainAccuracy: CurvePoint[];
  valAccuracy: CurvePoint[];
}

export type CurveMetric = keyof VariantCurves;

const METRIC_FIELD: Record<CurveMetric, keyof EpochEvent> = {
  trainLoss: 'trainLoss',
  valLoss: 'valLoss',
  trainAccuracy: 'trainAccuracy',
  valAccuracy: 'valAccuracy',
};

/** Loss and accuracy curves of one variant; an epoch only some seeds reached has a smaller n. */
export function variantCurves(runs: readonly ReportRun[]): VariantCurves {
  const perRun = runs.map(epochEvents);
  const epochs = [...new Set(perRun.flatMap((events) => events.map((e) => e.epoch)))].sort(
    (a, b) => a - b,
  );
  const curve = (metric: CurveMetric): CurvePoint[] =>
    epochs.flatMap((epoch) => {
      const values = perRun.flatMap((events) => {
        const event = events.find((e) => e.epoch === epoch);
        return event ? [event[METRIC_FIELD[metric]] as number] : [];
      });
      const stats = meanStd(values);
      return stats ? [{ epoch, ...stats }] : [];
    });
  return {
    trainLoss: curve('trainLoss'),
    valLoss: curve('valLoss'),
    trainAccuracy: curve('trainAccuracy'),
    valAccuracy: curve('valAccuracy'),
  };
}

/** Dead and saturated fractions of one layer at one epoch-end probe, over seeds. */
export interface ProbePoint {
  epoch: number;
  deadFraction: MeanStd | null;
  saturatedFraction: MeanStd | null;
}

export interface LayerSeries {
  layer: string;
  activation: Activation;
  units: number;
  points: ProbePoint[];
}

/** Per layer (in model order), the dead/saturated fraction at each epoch-end probe, over seeds. */
export function layerSeries(runs: readonly ReportRun[]): LayerSeries[] {
  const perRun = runs.map(epochProbes);
  const layers = new Map<string, { activation: Activation; units: number }>();
  for (const probes of perRun) {
    for (const probe of probes) {
      for (const l of probe.layers)
        if (!layers.has(l.layer)) layers.set(l.layer, { activation: l.activation, units: l.units });
    }
  }
  const epochs = [...new Set(perRun.flatMap((probes) => probes.map((p) => p.epoch)))].sort(
    (a, b) => a - b,
  );
  return [...layers].map(([layer, info]) => ({
    layer,
    ...info,
    points: epochs.map((epoch) => {
      const found = perRun.flatMap((probes) =>
        probes
          .filter((p) => p.epoch === epoch)
          .flatMap((p) => p.layers.filter((l) => l.layer === layer)),
      );
      return {
        epoch,
        deadFraction: meanStd(
          found.flatMap((l) => (l.deadFraction === null ? [] : [l.deadFraction])),
        ),
        saturatedFraction: meanStd(
          found.flatMap((l) => (l.saturatedFraction === null ? [] : [l.saturatedFraction])),
        ),
      };
    }),
  }));
}
