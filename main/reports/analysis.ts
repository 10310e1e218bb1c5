/**
 * The numbers a report concludes with, derived from runs alone (pure; no I/O). Accuracies are
 * fractions in [0, 1]; epochs are 1-based; every "± std" is the sample standard deviation over the
 * variant's seeds (0 with one seed) and carries its n.
 */
import type { Activation, VariantSpec } from '../api/config.js';
import { ACTIVE_STATUSES, type RunStatus } from '../api/records.js';
import { planBaselines, type BaselineKind } from './baseline.js';
import { configDifferences, type ConfigDifferences } from './config-diff.js';
import { layerSeries, variantCurves, type LayerSeries, type VariantCurves } from './curves.js';
import {
  epochEvents,
  epochProbes,
  runsOfVariant,
  type ReportData,
  type ReportRun,
} from './data.js';
import { meanStd, present, type MeanStd } from './stats.js';

/** A layer at the last epoch-end probe of each seed. */
export interface LayerAtEnd {
  layer: string;
  activation: Activation;
  /** Latest probe epoch among the seeds. */
  epoch: number;
  /** ReLU layers only. */
  deadFraction: MeanStd | null;
  /** tanh/sigmoid layers only. */
  saturatedFraction: MeanStd | null;
}

export interface VariantAnalysis {
  name: string;
  spec: VariantSpec;
  seeds: number[];
  statuses: RunStatus[];
  /** Epochs with a summary, per seed. */
  epochsCompleted: number[];
  bestValAccuracy: MeanStd | null;
  /** Epoch of each seed's best validation accuracy (the first, on ties). */
  epochsToBest: MeanStd | null;
  /** The variant this one is measured against, or null when the experiment has none. */
  baseline: string | null;
  /** The baseline's best validation accuracy (mean over its seeds): the level to reach. */
  baselineTarget: number | null;
  /**
   * Per seed, the first epoch whose validation accuracy ≥ baselineTarget (null: never reached).
   * `summary` is mean ± std when every seed reached it, else null. Null without a baseline.
   */
  epochsToBaseline: { perSeed: (number | null)[]; summary: MeanStd | null } | null;
  /** At each seed's last epoch: valLoss − trainLoss and trainAccuracy − valAccuracy (> 0: over-fitting). */
  finalGap: { loss: MeanStd; accuracy: MeanStd } | null;
  layersAtEnd: LayerAtEnd[];
  curves: VariantCurves;
  layerSeries: LayerSeries[];
}

export interface ReportAnalysis {
  /** False while any run is queued or running, or a run of the experiment is missing. */
  complete: boolean;
  /** Why it is incomplete, in words (empty when complete). */
  incompleteReasons: string[];
  /** Runs that ended badly, in words (they still count as finished). */
  notes: string[];
  statusCounts: Partial<Record<RunStatus, number>>;
  baselineKind: BaselineKind;
  baselineRule: string;
  configDifferences: ConfigDifferences;
  variants: VariantAnalysis[];
}

/** Everything the report concludes, per variant and for the experiment as a whole. */
export function analyzeReport(data: ReportData): ReportAnalysis {
  const variants = data.experiment.spec.variants;
  const plan = planBaselines(variants);
  const bestOf = new Map(
    variants.map((v) => [v.name, bestAccuracies(runsOfVariant(data, v.name))]),
  );
  const targetOf = (name: string): number | null =>
    meanStd(present(bestOf.get(name) ?? []))?.mean ?? null;
  return {
    ...completeness(data),
    baselineKind: plan.kind,
    baselineRule: plan.rule,
    configDifferences: configDifferences(variants),
    variants: variants.map((spec) => {
      const baseline = plan.baselineOf.get(spec.name) ?? null;
      return analyzeVariant(
        spec,
        runsOfVariant(data, spec.name),
        baseline,
        baseline ? targetOf(baseline) : null,
      );
    }),
  };
}

function analyzeVariant(
  spec: VariantSpec,
  runs: ReportRun[],
  baseline: string | null,
  baselineTarget: number | null,
): VariantAnalysis {
  const epochs = runs.map(epochEvents);
  const bests = epochs.map((events) => {
    let best: { accuracy: number; epoch: number } | null = null;
    for (const e of events)
      if (!best || e.valAccuracy > best.accuracy)
        best = { accuracy: e.valAccuracy, epoch: e.epoch };
    return best;
  });
  const lasts = present(epochs.map((events) => events.at(-1)));
  const finalLoss = meanStd(lasts.map((e) => e.valLoss - e.trainLoss));
  const finalAccuracy = meanStd(lasts.map((e) => e.trainAccuracy - e.valAccuracy));
  let epochsToBaseline: VariantAnalysis['epochsToBaseline'] = null;
  if (baseline !== null && baselineTarget !== null) {
    const perSeed = epochs.map(
      (events) => events.find((e) => e.valAccuracy >= baselineTarget)?.epoch ?? null,
    );
    const reached = present(perSeed);
    epochsToBaseline = {
      perSeed,
      summary: reached.length === perSeed.length ? meanStd(reached) : null,
    };
  }
  return {
    name: spec.name,
    spec,
    seeds: runs.map((r) => r.record.seed),
    statuses: runs.map((r) => r.record.status),
    epochsCompleted: epochs.map((events) => events.length),
    bestValAccuracy: meanStd(present(bests).map((b) => b.accuracy)),
    epochsToBest: meanStd(present(bests).map((b) => b.epoch)),
    baseline,
    baselineTarget,
    epochsToBaseline,
    finalGap: finalLoss && finalAccuracy ? { loss: finalLoss, accuracy: finalAccuracy } : null,
    layersAtEnd: layersAtEnd(runs),
    curves: variantCurves(runs),
    layerSeries: layerSeries(runs),
  };
}

function bestAccuracies(runs: readonly ReportRun[]): (number | null)[] {
  return runs.map((run) => {
    const accuracies = epochEvents(run).map((e) => e.valAccuracy);
    return accuracies.length > 0 ? Math.max(...accuracies) : null;
  });
}

function layersAtEnd(runs: readonly ReportRun[]): LayerAtEnd[] {
  const lastProbes = present(runs.map((run) => epochProbes(run).at(-1)));
  const names = [...new Set(lastProbes.flatMap((p) => p.layers.map((l) => l.layer)))];
  return names.map((layer) => {
    const found = lastProbes.flatMap((p) =>
      p.layers.filter((l) => l.layer === layer).map((l) => ({ l, epoch: p.epoch })),
    );
    return {
      layer,
      activation: found[0]?.l.activation ?? 'relu',
      epoch: Math.max(...found.map((f) => f.epoch)),
      deadFraction: meanStd(present(found.map((f) => f.l.deadFraction))),
      saturatedFraction: meanStd(present(found.map((f) => f.l.saturatedFraction))),
    };
  });
}

function completeness(
  data: ReportData,
): Pick<ReportAnalysis, 'complete' | 'incompleteReasons' | 'notes' | 'statusCounts'> {
  const statusCounts: Partial<Record<RunStatus, number>> = {};
  for (const run of data.runs)
    statusCounts[run.record.status] = (statusCounts[run.record.status] ?? 0) + 1;
  const incompleteReasons: string[] = [];
  for (const status of ACTIVE_STATUSES) {
    const count = statusCounts[status] ?? 0;
    if (count > 0) incompleteReasons.push(`${count} run${count === 1 ? ' is' : 's are'} ${status}`);
  }
  const have = new Set(data.runs.map((r) => r.record.id));
  const unreadable = data.unreadable ?? [];
  const broken = new Set(unreadable.map((u) => u.id));
  const missing = data.experiment.runIds.filter((id) => !have.has(id) && !broken.has(id));
  const total = data.experiment.runIds.length;
  if (missing.length > 0)
    incompleteReasons.push(`${missing.length} of ${total} runs have no data yet`);
  if (unreadable.length > 0)
    incompleteReasons.push(
      `${unreadable.length} of ${total} runs cannot be read (${unreadable.map((u) => u.message).join('; ')})`,
    );
  const notes = data.runs
    .filter((r) => ['stopped', 'diverged', 'failed', 'interrupted'].includes(r.record.status))
    .map((r) => {
      const what = `${r.record.variant.name} seed ${r.record.seed} ${r.record.status} after ${r.record.epochsCompleted} epochs`;
      return r.record.error ? `${what}: ${r.record.error}` : what;
    });
  return { complete: incompleteReasons.length === 0, incompleteReasons, notes, statusCounts };
}
