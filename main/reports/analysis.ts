/**
 * The numbers a report concludes with, derived from runs alone (pure; no I/O). Accuracies are
 * fractions in [0, 1]; epochs are 1-based; every "± std" is the sample standard deviation over the
 * variant's seeds (0 with one seed) and carries its n. Runs that did not learn
 * (main/api/learning.ts) are left out of every mean and counted; comparisons with the baseline are
 * paired by seed (paired.ts).
 */
import type { Activation, VariantSpec } from '../api/config.js';
import { seedCountText, type LearningVerdict } from '../api/learning.js';
import { ACTIVE_STATUSES, type RunStatus } from '../api/records.js';
import { planBaselines, type BaselineKind } from './baseline.js';
import { configDifferences, type ConfigDifferences } from './config-diff.js';
import { layerSeries, variantCurves, type LayerSeries, type VariantCurves } from './curves.js';
import { epochProbes, runsOfVariant, type ReportData, type ReportRun } from './data.js';
import { checkClaims, type ClaimCheck } from './claims.js';
import { comparePaired, type PairedComparison } from './paired.js';
import {
  counts,
  runFacts,
  trainModeCaveat,
  trainModeOf,
  type RunFacts,
  type TrainMode,
} from './run-facts.js';
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
  /** Per seed: learned or not (null while training); main/api/learning.ts. */
  learning: (LearningVerdict | null)[];
  /** Seeds the means below are over (they have an epoch and did not fail to learn). */
  includedSeeds: number;
  notLearnedSeeds: number;
  /** "2 of 3 seeds; 1 did not learn". */
  seedText: string;
  bestValAccuracy: MeanStd | null;
  /** Epoch of each seed's best validation accuracy (the first, on ties). */
  epochsToBest: MeanStd | null;
  /** The variant this one is measured against, or null (no baseline, or this is the baseline). */
  baseline: string | null;
  /** Seed-by-seed comparison with the baseline; null for the baseline itself and without one. */
  paired: PairedComparison | null;
  /** At each seed's last epoch: valLoss − trainLoss and trainAccuracy − valAccuracy (> 0: over-fitting). */
  finalGap: { loss: MeanStd; accuracy: MeanStd } | null;
  layersAtEnd: LayerAtEnd[];
  /** Over the included seeds; over every seed when none learned (then the curves show the failure). */
  curves: VariantCurves;
  layerSeries: LayerSeries[];
  /** The runs the curves and layer series are over (every run's when none learned). */
  runIds: string[];
}

export interface ReportAnalysis {
  /** False while any run is queued or running, or a run of the experiment is missing. */
  complete: boolean;
  /** Why it is incomplete, in words (empty when complete). */
  incompleteReasons: string[];
  /** Runs that ended badly or did not learn, in words (they still count as finished). */
  notes: string[];
  statusCounts: Partial<Record<RunStatus, number>>;
  baselineKind: BaselineKind;
  baselineRule: string;
  configDifferences: ConfigDifferences;
  /** Which train numbers the logs hold; `running` and `mixed` come with `trainCaveat`. */
  trainMode: TrainMode | 'mixed';
  trainCaveat: string;
  variants: VariantAnalysis[];
  /** The seed presentation's claims this experiment tests, each with its verdict (claims.ts). */
  claims: ClaimCheck[];
}

/** Everything the report concludes, per variant and for the experiment as a whole. */
export function analyzeReport(data: ReportData): ReportAnalysis {
  const variants = data.experiment.spec.variants;
  const plan = planBaselines(variants);
  const factsOf = new Map(variants.map((v) => [v.name, runsOfVariant(data, v.name).map(runFacts)]));
  const all = [...factsOf.values()].flat();
  const mode = trainModeOf(all);
  const analysis: Omit<ReportAnalysis, 'claims'> = {
    ...completeness(data, all),
    baselineKind: plan.kind,
    baselineRule: plan.rule,
    configDifferences: configDifferences(variants),
    trainMode: mode,
    trainCaveat: trainModeCaveat(mode),
    variants: variants.map((spec) => {
      const baseline = plan.baselineOf.get(spec.name) ?? null;
      const own = factsOf.get(spec.name) ?? [];
      const paired =
        baseline !== null && baseline !== spec.name
          ? comparePaired(
              { name: spec.name, runs: own },
              { name: baseline, runs: factsOf.get(baseline) ?? [] },
            )
          : null;
      return analyzeVariant(spec, own, baseline === spec.name ? null : baseline, paired);
    }),
  };
  return { ...analysis, claims: checkClaims(data, { ...analysis, claims: [] }) };
}

function analyzeVariant(
  spec: VariantSpec,
  facts: RunFacts[],
  baseline: string | null,
  paired: PairedComparison | null,
): VariantAnalysis {
  const included = facts.filter(counts);
  const notLearned = facts.filter((f) => f.verdict?.learned === false).length;
  const shown = included.length > 0 ? included : facts;
  const bests = present(included.map((f) => f.best));
  const gaps = present(included.map((f) => f.finalGap));
  const finalLoss = meanStd(gaps.map((g) => g.loss));
  const finalAccuracy = meanStd(gaps.map((g) => g.accuracy));
  const runs = shown.map((f) => f.run);
  return {
    name: spec.name,
    spec,
    seeds: facts.map((f) => f.seed),
    statuses: facts.map((f) => f.run.record.status),
    epochsCompleted: facts.map((f) => f.epochs.length),
    learning: facts.map((f) => f.verdict),
    includedSeeds: included.length,
    notLearnedSeeds: notLearned,
    seedText: seedCountText(included.length, facts.length, notLearned),
    bestValAccuracy: meanStd(bests.map((b) => b.accuracy)),
    epochsToBest: meanStd(bests.map((b) => b.epoch)),
    baseline,
    paired,
    finalGap: finalLoss && finalAccuracy ? { loss: finalLoss, accuracy: finalAccuracy } : null,
    layersAtEnd: layersAtEnd(runs),
    curves: variantCurves(runs),
    layerSeries: layerSeries(runs),
    runIds: runs.map((r) => r.record.id),
  };
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
  facts: readonly RunFacts[],
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
  for (const f of facts)
    if (f.verdict && !f.verdict.learned)
      notes.push(
        `${f.run.record.variant.name} seed ${f.seed} ${f.verdict.explanation}; left out of the means`,
      );
  return { complete: incompleteReasons.length === 0, incompleteReasons, notes, statusCounts };
}
