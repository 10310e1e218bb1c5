/**
 * The evaluators of the accuracy, speed, gap and learning-rate claims (claims.ts): they pair seeds
 * that learned (paired.ts) and judge the result (claim-verdict.ts).
 */
import type { ReportAnalysis } from './analysis.js';
import { learningRateOf } from './baseline.js';
import { CLAIMS, type ClaimCheck } from './claim-catalogue.js';
import { factsOf, mean, row, seedPairs } from './claim-helpers.js';
import { judgeCounts, judgeDiff, type Judged } from './claim-verdict.js';
import type { ReportData } from './data.js';
import { comparePaired, pairedDiff } from './paired.js';
import { counts, trainModeCaveat, trainModeOf, type RunFacts } from './run-facts.js';

/** Accuracy, speed and gap claims, from the paired comparisons with the baseline. */
export function pairedChecks(
  data: ReportData,
  analysis: ReportAnalysis,
  kind: 'bn' | 'dropout',
): ClaimCheck[] {
  const out: ClaimCheck[] = [];
  const rates = new Set(analysis.variants.map((v) => v.spec.dropout));
  const maxRate = Math.max(...rates);
  for (const v of analysis.variants) {
    const p = v.paired;
    if (!p) continue;
    const vs = `${p.variant} vs ${p.baseline}`;
    const left = p.excluded.length;
    const [speed, accuracy, gap] = p.sentences;
    if (kind === 'bn') {
      const s = p.speed;
      out.push(
        row(
          CLAIMS.bnSpeed,
          vs,
          speed ?? '',
          judgeCounts(s.sooner, s.later + s.never, s.perSeed.length, left),
        ),
        row(CLAIMS.bnRegularize, vs, gap ?? '', judgeDiff(p.lossGap, 'lower', left)),
      );
      if (v.spec.architecture === 'resnet20')
        out.push(
          row(CLAIMS.bnResnet, vs, accuracy ?? '', judgeDiff(p.bestAccuracy, 'higher', left)),
        );
      continue;
    }
    const pairs = seedPairs(factsOf(data, p.variant), factsOf(data, p.baseline)).filter(
      (x) => counts(x.v) && counts(x.b),
    );
    const last = (f: RunFacts) => f.epochs.at(-1);
    const trainLoss = pairedDiff(
      pairs.flatMap(({ v: a, b }) => {
        const x = last(a);
        const y = last(b);
        return x && y ? [{ seed: a.seed, value: x.trainLoss - y.trainLoss }] : [];
      }),
      0.0005,
    );
    const caveat = trainModeCaveat(trainModeOf(pairs.flatMap((x) => [x.v, x.b])));
    out.push(
      row(
        CLAIMS.dropoutTrainLoss,
        vs,
        `${p.variant}'s final train loss was ${mean(pairs.flatMap((x) => last(x.v)?.trainLoss ?? [])).toFixed(3)} against ${mean(pairs.flatMap((x) => last(x.b)?.trainLoss ?? [])).toFixed(3)} for ${p.baseline} (means; higher in ${trainLoss.higher} of ${trainLoss.perSeed.length} seeds)${caveat ? ` — ${caveat}` : ''}.`,
        judgeDiff(trainLoss, 'higher', left),
      ),
      row(CLAIMS.dropoutValidation, vs, accuracy ?? '', judgeDiff(p.bestAccuracy, 'higher', left)),
    );
    if (rates.size >= 3 && v.spec.dropout === maxRate) {
      const both = pairs.filter(({ v: a, b }) => {
        const x = last(a);
        const y = last(b);
        return a.best && b.best && x && y
          ? a.best.accuracy < b.best.accuracy && x.trainAccuracy < y.trainAccuracy
          : false;
      }).length;
      out.push(
        row(
          CLAIMS.dropoutUnderfit,
          vs,
          `${accuracy ?? ''} Both its final train accuracy and its best validation accuracy were below ${p.baseline}'s in ${both} of ${pairs.length} seeds.`,
          judgeCounts(both, p.bestAccuracy.higher, pairs.length, left),
        ),
      );
    }
  }
  if (kind === 'bn') out.push(...placementChecks(data, analysis));
  return out;
}

/** BN before vs BN after the activation, where both exist with the same architecture. */
function placementChecks(data: ReportData, analysis: ReportAnalysis): ClaimCheck[] {
  const specs = analysis.variants.map((v) => v.spec);
  return specs.flatMap((before) => {
    if (before.bn !== 'before-activation') return [];
    const after = specs.find(
      (a) =>
        a.bn === 'after-activation' &&
        a.architecture === before.architecture &&
        a.activation === before.activation &&
        learningRateOf(a) === learningRateOf(before),
    );
    if (!after) return [];
    const p = comparePaired(
      { name: before.name, runs: factsOf(data, before.name) },
      { name: after.name, runs: factsOf(data, after.name) },
    );
    return [
      row(
        CLAIMS.bnBefore,
        `${before.name} vs ${after.name}`,
        p.sentences[1] ?? p.sentences[0] ?? '',
        judgeDiff(p.bestAccuracy, 'higher', p.excluded.length),
      ),
    ];
  });
}

/** "Applied with next to no parameter tuning": does every BN run learn at every learning rate? */
export function noTuningCheck(data: ReportData, analysis: ReportAnalysis): ClaimCheck[] {
  const tally = (withBn: boolean) => {
    const runs = analysis.variants
      .filter((v) => (v.spec.bn !== 'none') === withBn)
      .flatMap((v) => factsOf(data, v.name).map((f) => ({ f, lr: learningRateOf(v.spec) })));
    const judged = runs.filter((r) => r.f.verdict !== null);
    const failed = judged.filter((r) => r.f.verdict?.learned === false);
    const where = [
      ...new Set(failed.map((r) => r.lr ?? data.experiment.spec.training.learningRate)),
    ];
    return { judged: judged.length, learned: judged.length - failed.length, where };
  };
  const bn = tally(true);
  const none = tally(false);
  const rates = [
    ...new Set(
      analysis.variants.map(
        (v) => learningRateOf(v.spec) ?? data.experiment.spec.training.learningRate,
      ),
    ),
  ].sort((a, b) => a - b);
  const fails = (t: typeof bn): string =>
    t.where.length ? ` (did not learn at lr ${t.where.join(', ')})` : '';
  const measured = `Across learning rates ${rates.join(', ')}: with BN ${bn.learned} of ${bn.judged} runs learned${fails(bn)}; without BN ${none.learned} of ${none.judged}${fails(none)}.`;
  const seeds = data.experiment.spec.seeds;
  const judged: Judged =
    bn.learned < bn.judged
      ? { verdict: 'contradicts', why: `${bn.judged - bn.learned} BN runs did not learn` }
      : seeds < 2 || bn.judged === 0
        ? { verdict: 'cannot say', why: 'too few seeds (2 per variant are needed)' }
        : { verdict: 'supports', why: `every BN run learned at every learning rate` };
  return [row(CLAIMS.noTuning, 'BN vs no BN at each learning rate', measured, judged)];
}
