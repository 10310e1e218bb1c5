/**
 * How a measured, paired effect becomes a verdict on a claim of the seed presentation:
 * - supports: at least MIN_SEEDS seeds could be compared and every one moved the claimed way;
 * - contradicts: at least MIN_SEEDS seeds and every one moved the other way;
 * - cannot say: fewer seeds (too few seeds, or runs left out because they did not learn), seeds
 *   that disagree, or ties (the effect is too small to see here).
 * Deliberately strict: with 3 seeds a 2-to-1 split is not evidence either way.
 */
import type { PairedDiff } from './paired.js';

export type Verdict = 'supports' | 'contradicts' | 'cannot say';

/** Seeds needed before any verdict but "cannot say". */
export const MIN_SEEDS = 2;

export interface Judged {
  verdict: Verdict;
  /** Why, in words: "3 of 3 seeds", "the seeds disagree", "only 1 seed could be compared". */
  why: string;
}

/** The rule of the module comment for a count of seeds that went each way. */
export function judgeCounts(claimed: number, opposite: number, total: number, leftOut = 0): Judged {
  if (total < MIN_SEEDS) {
    const lost =
      leftOut > 0 ? ` (${leftOut} left out: runs that did not learn or have no data)` : '';
    return {
      verdict: 'cannot say',
      why: `only ${total} seed${total === 1 ? '' : 's'} could be compared${lost}; ${MIN_SEEDS} are needed`,
    };
  }
  if (claimed === total) return { verdict: 'supports', why: `${claimed} of ${total} seeds` };
  if (opposite === total)
    return { verdict: 'contradicts', why: `the opposite in ${opposite} of ${total} seeds` };
  if (claimed === 0 && opposite === 0)
    return { verdict: 'cannot say', why: `no difference in ${total} seeds` };
  return {
    verdict: 'cannot say',
    why: `the seeds disagree (${claimed} as claimed, ${opposite} the opposite, ${total - claimed - opposite} equal)`,
  };
}

/** A paired difference where the claim expects `claimed` ('higher' or 'lower'). */
export function judgeDiff(d: PairedDiff, claimed: 'higher' | 'lower', leftOut = 0): Judged {
  const up = claimed === 'higher' ? d.higher : d.lower;
  const down = claimed === 'higher' ? d.lower : d.higher;
  return judgeCounts(up, down, d.perSeed.length, leftOut);
}
