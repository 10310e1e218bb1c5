/**
 * "Did this run learn?" — one rule for the CLI, the app and the reports, so a run flagged in one
 * place is flagged in all. Pure; lives in the API so the renderer can use it too.
 *
 * A finished run (any status but queued/running) with at least one epoch summary did not learn
 * when, after its last epoch:
 * - its validation accuracy is below chance + CHANCE_MARGIN (chance = 1 / classes: 15 % on the
 *   10-class datasets), or
 * - its validation loss is not below ln(classes), the cross-entropy of a uniform guess — where an
 *   untrained network starts — so the loss never came down from its start, or
 * - it diverged (its loss became NaN/Infinity: the weights it ended with predict nothing).
 * Runs still training, and runs without an epoch, are not judged (null).
 */
import type { RunRecord, RunStatus } from './records.js';

/** Validation accuracy must clear chance by this much (5 percentage points). */
export const CHANCE_MARGIN = 0.05;

export type NotLearnedReason = 'chance' | 'loss' | 'diverged';

export interface LearningVerdict {
  learned: boolean;
  /** Why not, in rule order; empty when learned. */
  reasons: NotLearnedReason[];
  /** One line for a tooltip or a report note. */
  explanation: string;
}

export interface LastEpoch {
  status: RunStatus;
  /** Of the run's last epoch summary; null when no epoch has finished. */
  valAccuracy: number | null;
  /** Null when unknown (an old run.json without it): then only accuracy and status decide. */
  valLoss: number | null;
  /** Classes of the dataset (10 for MNIST and CIFAR-10). */
  classes: number;
}

/** The not-learned rule of the module comment; null while the run trains or has no epoch. */
export function judgeLearning(run: LastEpoch): LearningVerdict | null {
  if (run.status === 'queued' || run.status === 'running') return null;
  if (run.valAccuracy === null && run.status !== 'diverged') return null;
  const chance = 1 / run.classes;
  const reasons: NotLearnedReason[] = [];
  const words: string[] = [];
  if (run.valAccuracy !== null && run.valAccuracy < chance + CHANCE_MARGIN) {
    reasons.push('chance');
    words.push(
      `validation accuracy ${pct(run.valAccuracy)} is within ${pct(CHANCE_MARGIN, 0)} of chance (${pct(chance, 0)})`,
    );
  }
  const start = Math.log(run.classes);
  if (run.valLoss !== null && !(run.valLoss < start)) {
    reasons.push('loss');
    words.push(
      `validation loss ${run.valLoss.toFixed(3)} is not below a uniform guess's ${start.toFixed(3)}`,
    );
  }
  if (run.status === 'diverged') {
    reasons.push('diverged');
    words.push('its loss diverged (NaN/Infinity)');
  }
  return reasons.length === 0
    ? { learned: true, reasons, explanation: 'learned' }
    : { learned: false, reasons, explanation: `did not learn: ${words.join('; ')}` };
}

/** The rule applied to a run.json (its last epoch's numbers; 10 classes until the run started). */
export function judgeRecord(record: RunRecord): LearningVerdict | null {
  return judgeLearning({
    status: record.status,
    valAccuracy: record.lastValAccuracy,
    valLoss: record.lastValLoss ?? null,
    classes: record.datasetInfo?.classes ?? 10,
  });
}

/** "2 of 3 seeds; 1 did not learn" — how many seeds a mean is over, and how many were left out. */
export function seedCountText(included: number, total: number, notLearned: number): string {
  const base = `${included} of ${total} seed${total === 1 ? '' : 's'}`;
  return notLearned > 0 ? `${base}; ${notLearned} did not learn` : base;
}

function pct(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
