/**
 * Paired, per-seed comparison of a variant with another (its baseline). Variants of one seed share
 * initial weights and data order, so seed s of the variant is compared with seed s of the
 * baseline only. A seed is left out when either of its two runs did not learn or has no epoch.
 * Accuracy differences are fractions (the sentences print percentage points).
 */
import { counts, trainModeCaveat, trainModeOf, type RunFacts } from './run-facts.js';
import { meanStd, median, type MeanStd } from './stats.js';
import { pairSentences } from './paired-text.js';

/** Two best accuracies closer than this are a tie: equal when printed to 0.1 point. */
export const TIE_TOLERANCE = 0.0005;

export interface SpeedPair {
  seed: number;
  /** The baseline seed's best validation accuracy and the first epoch it reached it. */
  baselineBest: number;
  baselineEpoch: number;
  /** First epoch the variant's same seed reached baselineBest; null: never within its epochs. */
  variantEpoch: number | null;
}

export interface DiffPair {
  seed: number;
  /** variant − baseline. */
  value: number;
}

/** Per-seed differences and how the seeds agree. */
export interface PairedDiff {
  perSeed: DiffPair[];
  summary: MeanStd | null;
  higher: number;
  lower: number;
  /** |difference| < TIE_TOLERANCE (accuracy) or < 0.0005 (loss). */
  tied: number;
  /** Median of the differences when seeds disagree in sign (higher and lower both > 0), else null. */
  medianWhereDisagree: number | null;
}

export interface PairedComparison {
  variant: string;
  baseline: string;
  /** Seeds compared, ascending. */
  seeds: number[];
  /** Seeds left out, with why. */
  excluded: { seed: number; reason: string }[];
  speed: {
    perSeed: SpeedPair[];
    sooner: number;
    same: number;
    later: number;
    never: number;
  };
  /** Best validation accuracy, variant − baseline. */
  bestAccuracy: PairedDiff;
  /** Final validation−train loss gap, variant − baseline (> 0: the variant over-fits more). */
  lossGap: PairedDiff;
  /** Caveat when the train numbers are running means (older logs); '' otherwise. */
  trainCaveat: string;
  /** One plain sentence per conclusion, with its numbers. */
  sentences: string[];
}

/** Compares `variant` with `baseline` seed by seed; see the module comment. */
export function comparePaired(
  variant: { name: string; runs: readonly RunFacts[] },
  baseline: { name: string; runs: readonly RunFacts[] },
): PairedComparison {
  const excluded: PairedComparison['excluded'] = [];
  const pairs: { seed: number; v: RunFacts; b: RunFacts }[] = [];
  for (const v of variant.runs) {
    const b = baseline.runs.find((r) => r.seed === v.seed);
    if (!b) continue;
    const why = [reason(variant.name, v), reason(baseline.name, b)].filter(Boolean);
    if (why.length > 0) excluded.push({ seed: v.seed, reason: why.join('; ') });
    else pairs.push({ seed: v.seed, v, b });
  }
  pairs.sort((x, y) => x.seed - y.seed);
  const speedPairs: SpeedPair[] = pairs.flatMap(({ seed, v, b }) => {
    if (!b.best) return [];
    const target = b.best.accuracy;
    return [
      {
        seed,
        baselineBest: target,
        baselineEpoch: b.best.epoch,
        variantEpoch: v.epochs.find((e) => e.valAccuracy >= target)?.epoch ?? null,
      },
    ];
  });
  const comparison: Omit<PairedComparison, 'sentences'> = {
    variant: variant.name,
    baseline: baseline.name,
    seeds: pairs.map((p) => p.seed),
    excluded,
    speed: {
      perSeed: speedPairs,
      sooner: speedPairs.filter((p) => p.variantEpoch !== null && p.variantEpoch < p.baselineEpoch)
        .length,
      same: speedPairs.filter((p) => p.variantEpoch === p.baselineEpoch).length,
      later: speedPairs.filter((p) => p.variantEpoch !== null && p.variantEpoch > p.baselineEpoch)
        .length,
      never: speedPairs.filter((p) => p.variantEpoch === null).length,
    },
    bestAccuracy: pairedDiff(
      pairs.flatMap(({ seed, v, b }) =>
        v.best && b.best ? [{ seed, value: v.best.accuracy - b.best.accuracy }] : [],
      ),
      TIE_TOLERANCE,
    ),
    lossGap: pairedDiff(
      pairs.flatMap(({ seed, v, b }) =>
        v.finalGap && b.finalGap ? [{ seed, value: v.finalGap.loss - b.finalGap.loss }] : [],
      ),
      0.0005,
    ),
    trainCaveat: trainModeCaveat(trainModeOf(pairs.flatMap((p) => [p.v, p.b]))),
  };
  return { ...comparison, sentences: pairSentences(comparison, pairs) };
}

function reason(name: string, facts: RunFacts): string {
  if (facts.epochs.length === 0) return `${name} has no finished epoch`;
  if (!counts(facts)) return `${name} did not learn`;
  return '';
}

/** Differences with their sign agreement; `tolerance` decides ties. */
export function pairedDiff(perSeed: DiffPair[], tolerance: number): PairedDiff {
  const higher = perSeed.filter((d) => d.value >= tolerance).length;
  const lower = perSeed.filter((d) => d.value <= -tolerance).length;
  return {
    perSeed,
    summary: meanStd(perSeed.map((d) => d.value)),
    higher,
    lower,
    tied: perSeed.length - higher - lower,
    medianWhereDisagree: higher > 0 && lower > 0 ? median(perSeed.map((d) => d.value)) : null,
  };
}
