/**
 * The plain sentences of a paired comparison, one per conclusion, each with its numbers, e.g.
 * "bn-before reached no-bn's best validation accuracy in 1 epoch instead of 3, in 3 of 3 seeds."
 */
import type { PairedComparison, PairedDiff } from './paired.js';
import type { RunFacts } from './run-facts.js';
import { median } from './stats.js';

type Comparison = Omit<PairedComparison, 'sentences'>;

const epochs = (n: number): string => {
  const text = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return `${text} epoch${n === 1 ? '' : 's'}`;
};
const points = (fraction: number, signed = false): string => {
  const value = (fraction * 100).toFixed(1);
  return signed && fraction > 0 ? `+${value}` : value;
};
const ofSeeds = (k: number, n: number): string => `${k} of ${n} seed${n === 1 ? '' : 's'}`;

/** Every sentence of one comparison; a note on left-out seeds comes last. */
export function pairSentences(
  c: Comparison,
  pairs: readonly { seed: number; v: RunFacts; b: RunFacts }[],
): string[] {
  const out: string[] = [];
  if (pairs.length === 0) {
    out.push(
      `${c.variant} and ${c.baseline} have no seed in which both learned, so they cannot be compared.`,
    );
  } else {
    out.push(speedSentence(c), accuracySentence(c), gapSentence(c, pairs));
  }
  if (c.excluded.length > 0)
    out.push(`Left out: ${c.excluded.map((x) => `seed ${x.seed} (${x.reason})`).join(', ')}.`);
  return out;
}

function speedSentence(c: Comparison): string {
  const s = c.speed;
  const n = s.perSeed.length;
  const reached = s.perSeed.flatMap((p) => (p.variantEpoch === null ? [] : [p.variantEpoch]));
  const target = `${c.baseline}'s best validation accuracy`;
  if (reached.length === 0)
    return `${c.variant} never reached ${target} (${points(median(s.perSeed.map((p) => p.baselineBest)))} %, median over seeds) in ${ofSeeds(n, n)}.`;
  const mine = median(reached);
  const theirs = median(s.perSeed.map((p) => p.baselineEpoch));
  const varies =
    new Set(reached).size > 1 || new Set(s.perSeed.map((p) => p.baselineEpoch)).size > 1;
  const medians = varies ? ' (medians over seeds)' : '';
  if (s.sooner === n)
    return `${c.variant} reached ${target} in ${epochs(mine)} instead of ${theirs}${medians}, in ${ofSeeds(n, n)}.`;
  const parts = [
    s.sooner > 0 ? `sooner in ${ofSeeds(s.sooner, n)}` : '',
    s.same > 0 ? `in the same epoch in ${s.same}` : '',
    s.later > 0 ? `later in ${s.later}` : '',
    s.never > 0 ? `never in ${s.never}` : '',
  ].filter(Boolean);
  return `${c.variant} reached ${target} ${parts.join(', ')} (${epochs(mine)} against ${theirs} when reached${medians}).`;
}

function agreement(d: PairedDiff, up: string, down: string): string {
  const n = d.perSeed.length;
  const parts = [
    d.higher > 0 ? `${up} in ${d.higher}` : '',
    d.lower > 0 ? `${down} in ${d.lower}` : '',
    d.tied > 0 ? `equal in ${d.tied}` : '',
  ].filter(Boolean);
  return `${parts.join(', ')} of ${n} seed${n === 1 ? '' : 's'}`;
}

function accuracySentence(c: Comparison): string {
  const d = c.bestAccuracy;
  const m = d.summary;
  if (!m) return `${c.variant} and ${c.baseline} have no best accuracy to compare.`;
  const spread = m.n > 1 ? ` ± ${points(m.std)}` : '';
  const n = d.perSeed.length;
  if (d.tied === n)
    return `${c.variant}'s best validation accuracy equalled ${c.baseline}'s (within 0.05 points) in ${ofSeeds(n, n)}.`;
  if (d.higher === n || d.lower === n)
    return `${c.variant}'s best validation accuracy was ${points(Math.abs(m.mean))}${spread} points ${d.higher === n ? 'higher' : 'lower'} than ${c.baseline}'s, in ${ofSeeds(n, n)}.`;
  const median =
    d.medianWhereDisagree !== null
      ? `; the seeds disagree, median ${points(d.medianWhereDisagree, true)} points`
      : '';
  return `${c.variant}'s best validation accuracy differed from ${c.baseline}'s by ${points(m.mean, true)}${spread} points (${agreement(d, 'higher', 'lower')})${median}.`;
}

function gapSentence(c: Comparison, pairs: readonly { v: RunFacts; b: RunFacts }[]): string {
  const d = c.lossGap;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const mine = mean(pairs.flatMap((p) => (p.v.finalGap ? [p.v.finalGap.loss] : [])));
  const theirs = mean(pairs.flatMap((p) => (p.b.finalGap ? [p.b.finalGap.loss] : [])));
  const caveat = c.trainCaveat ? `; ${c.trainCaveat}` : '';
  return `${c.variant}'s final validation−train loss gap was ${mine.toFixed(3)} against ${theirs.toFixed(3)} for ${c.baseline} (means; ${agreement(d, 'larger', 'smaller')})${caveat}.`;
}
