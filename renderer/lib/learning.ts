/**
 * The not-learned rule (main/api/learning.ts) applied to what the app holds: a run's record and,
 * where loaded, its epoch events (which carry the last validation loss older run.json files lack).
 */
import {
  judgeLearning,
  judgeRecord,
  type EventOf,
  type LearningVerdict,
  type RunRecord,
} from '../../main/api/index.js';

/** The verdict for one run; null while it trains or before its first epoch. */
export function runVerdict(
  run: RunRecord,
  epochs: readonly EventOf<'epoch'>[] = [],
): LearningVerdict | null {
  const last = epochs.at(-1);
  if (!last) return judgeRecord(run);
  return judgeLearning({
    status: run.status,
    valAccuracy: last.valAccuracy,
    valLoss: last.valLoss,
    classes: run.datasetInfo?.classes ?? 10,
  });
}

/**
 * The runs whose epochs go into a variant's mean curves: those not flagged as not learned, or all
 * of them when none learned (then the curves show the failure instead of nothing).
 */
export function runsInMeans<T extends RunRecord>(
  runs: readonly T[],
  epochsOf: (run: T) => readonly EventOf<'epoch'>[],
): T[] {
  const kept = runs.filter((r) => runVerdict(r, epochsOf(r))?.learned !== false);
  return kept.length > 0 ? kept : [...runs];
}
