/**
 * Per-epoch series of the issue-8 probes, aggregated over a variant's seeds (the runs its curves
 * are over): per layer the linear-region share, BN's γ and β (mean over seeds of the layer's mean,
 * and of its spread across units), the weight-gradient norm and zero-gradient share; per variant
 * BN's batch- vs moving-statistics accuracy and, at the last probe, the MC-dropout curve. Every
 * series is empty when the logs lack the probe (older runs), so charts appear only with data.
 */
import type { LayerProbe } from '../api/events.js';
import type { VariantAnalysis } from './analysis.js';
import { epochProbes, type ProbeEvent, type ReportData, type ReportRun } from './data.js';
import { meanStd, type MeanStd } from './stats.js';

export interface EpochStat {
  epoch: number;
  stats: MeanStd | null;
}

/** The runs a variant's aggregates are over (those that learned; all when none did). */
export function shownRuns(data: ReportData, v: VariantAnalysis): ReportRun[] {
  return data.runs.filter((r) => v.runIds.includes(r.record.id));
}

function epochsOf(perRun: ProbeEvent[][]): number[] {
  return [...new Set(perRun.flatMap((ps) => ps.map((p) => p.epoch)))].sort((a, b) => a - b);
}

/** One number per run per epoch-end probe, pooled over seeds as mean ± std. */
export function probeSeries(
  runs: readonly ReportRun[],
  pick: (p: ProbeEvent) => number | null | undefined,
): EpochStat[] {
  const perRun = runs.map(epochProbes);
  const points = epochsOf(perRun).map((epoch) => ({
    epoch,
    stats: meanStd(
      perRun.flatMap((ps) => {
        const value = ps.find((p) => p.epoch === epoch)
          ? pick(ps.find((p) => p.epoch === epoch)!)
          : null;
        return value === null || value === undefined ? [] : [value];
      }),
    ),
  }));
  return points.some((p) => p.stats) ? points : [];
}

/** A per-layer measure over epochs (see probeSeries); empty when no probe has it. */
export function layerProbeSeries(
  runs: readonly ReportRun[],
  layer: string,
  pick: (l: LayerProbe) => number | null | undefined,
): EpochStat[] {
  return probeSeries(runs, (p) => {
    const l = p.layers.find((x) => x.layer === layer);
    return l ? pick(l) : null;
  });
}

export interface EnsembleCurve {
  /** k = 1, 2, 4 … thinned networks averaged. */
  samples: number[];
  thinned: (MeanStd | null)[];
  weightScaled: MeanStd;
  epoch: number;
}

/** MC-dropout accuracy against k at each run's last epoch-end probe, over seeds; null without it. */
export function ensembleCurve(runs: readonly ReportRun[]): EnsembleCurve | null {
  const last = runs.flatMap((r) => {
    const probe = epochProbes(r)
      .filter((p) => p.epoch > 0 && p.dropoutEnsemble)
      .at(-1);
    return probe?.dropoutEnsemble ? [{ epoch: probe.epoch, e: probe.dropoutEnsemble }] : [];
  });
  const weightScaled = meanStd(last.map((x) => x.e.weightScaledAccuracy));
  if (!weightScaled) return null;
  const samples = [...new Set(last.flatMap((x) => x.e.samples))].sort((a, b) => a - b);
  return {
    samples,
    thinned: samples.map((k) =>
      meanStd(
        last.flatMap((x) => {
          const value = x.e.thinnedAccuracy[x.e.samples.indexOf(k)];
          return value === undefined ? [] : [value];
        }),
      ),
    ),
    weightScaled,
    epoch: Math.max(...last.map((x) => x.epoch)),
  };
}
