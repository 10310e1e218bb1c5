/**
 * One line per seed's run under its variant's mean: thin and in the variant's colour, or grey and
 * dotted (with "did not learn" in its label) for a run the not-learned rule flags.
 */
import { epochMetric, type EventOf } from '../../main/api/index.js';
import type { CurveMetric } from './curves.js';

export interface SeedRun {
  runId: string;
  seed: number;
  /** False when the not-learned rule flags the finished run (lib/learning.ts). */
  learned: boolean;
  epochs: readonly EventOf<'epoch'>[];
}

export interface SeedRuns {
  variant: string;
  /** The variant's position in the experiment (its colour). */
  index: number;
  runs: readonly SeedRun[];
}

export interface SeedLine {
  variant: string;
  index: number;
  seed: number;
  learned: boolean;
  split: 'train' | 'val';
  points: { epoch: number; value: number }[];
}

/** Train and validation lines of every run, in variant then seed order. */
export function seedLines(variants: readonly SeedRuns[], metric: CurveMetric): SeedLine[] {
  const out: SeedLine[] = [];
  for (const v of variants) {
    for (const r of [...v.runs].sort((a, b) => a.seed - b.seed)) {
      for (const split of ['train', 'val'] as const) {
        out.push({
          variant: v.variant,
          index: v.index,
          seed: r.seed,
          learned: r.learned,
          split,
          points: r.epochs.map((e) => ({
            epoch: e.epoch,
            value: epochMetric(e, metric, split === 'train' ? 'train' : 'validation'),
          })),
        });
      }
    }
  }
  return out;
}
