/**
 * The evaluators of the mechanism claims (claims.ts): dead units, zero gradients, the linear band
 * of tanh/sigmoid, γ/β and dropout as an ensemble. They use every run that has the probe — a run
 * that did not learn still shows its mechanism — and judge with claim-verdict.ts.
 */
import type { ReportAnalysis } from './analysis.js';
import { CLAIMS, type ClaimCheck } from './claim-catalogue.js';
import { factsOf, lastProbe, layerMean, mean, pct, row, seedPairs } from './claim-helpers.js';
import { judgeCounts, judgeDiff } from './claim-verdict.js';
import type { ReportData } from './data.js';
import { pairedDiff } from './paired.js';

/** "The neuron will never die": the BN variant's dead units at the last probe, seed by seed. */
export function neverDieCheck(data: ReportData, analysis: ReportAnalysis): ClaimCheck[] {
  return analysis.variants.flatMap((v) => {
    if (!v.baseline || v.spec.bn === 'none' || v.spec.activation !== 'relu') return [];
    const pairs = seedPairs(factsOf(data, v.name), factsOf(data, v.baseline)).flatMap((x) => {
      const mine = layerMean(x.v, (l) => l.deadFraction);
      const theirs = layerMean(x.b, (l) => l.deadFraction);
      return mine === null || theirs === null ? [] : [{ mine, theirs }];
    });
    const claimed = pairs.filter((x) => x.mine === 0 && x.theirs > 0).length;
    const opposite = pairs.filter((x) => x.mine > 0).length;
    return [
      row(
        CLAIMS.neverDie,
        `${v.name} vs ${v.baseline}`,
        `At the last probe ${v.name} had ${pct(mean(pairs.map((x) => x.mine)))} dead units (mean over ReLU layers and seeds) against ${pct(mean(pairs.map((x) => x.theirs)))} for ${v.baseline}; ${v.name} had none in ${pairs.filter((x) => x.mine === 0).length} of ${pairs.length} seeds.`,
        judgeCounts(claimed, opposite, pairs.length),
      ),
    ];
  });
}

/** "A dead neuron rarely updates": dead units should have exactly zero gradient. */
export function deadNoUpdateCheck(data: ReportData): ClaimCheck[] {
  const runs = data.experiment.spec.variants.flatMap((v) => factsOf(data, v.name));
  const judged = runs.flatMap((f) => {
    const layers = (lastProbe(f)?.layers ?? []).filter(
      (l) =>
        (l.deadFraction ?? 0) > 0 &&
        l.zeroGradFraction !== null &&
        l.zeroGradFraction !== undefined,
    );
    if (layers.length === 0) return [];
    return [layers.every((l) => (l.zeroGradFraction ?? 0) >= (l.deadFraction ?? 0))];
  });
  const holds = judged.filter(Boolean).length;
  const measured =
    judged.length === 0
      ? 'No layer had dead units with its gradient measured at the last probe (logs before issue 8 have no gradient probe).'
      : `In ${holds} of ${judged.length} runs with dead units, every layer's share of units with exactly zero weight gradient was at least its dead share.`;
  const verdict = judgeCounts(holds, judged.length - holds, judged.length);
  return [
    row(CLAIMS.deadNoUpdate, 'every run with dead units', measured, {
      ...verdict,
      why: verdict.why.replace(/seeds?/g, (w) => (w === 'seed' ? 'run' : 'runs')),
    }),
  ];
}

/** "BN could cancel the non-linearity": the share of pre-activations in the linear band. */
export function linearRegionCheck(data: ReportData, analysis: ReportAnalysis): ClaimCheck[] {
  return analysis.variants.flatMap((v) => {
    if (!v.baseline || v.spec.bn === 'none' || v.spec.activation === 'relu') return [];
    const pairs = seedPairs(factsOf(data, v.name), factsOf(data, v.baseline)).flatMap((x) => {
      const mine = layerMean(x.v, (l) => l.linearFraction);
      const theirs = layerMean(x.b, (l) => l.linearFraction);
      return mine === null || theirs === null
        ? []
        : [{ seed: x.v.seed, value: mine - theirs, mine, theirs }];
    });
    const vs = `${v.name} vs ${v.baseline}`;
    if (pairs.length === 0)
      return [
        row(
          CLAIMS.linear,
          vs,
          'These logs have no linear-region measure (recorded since issue 8).',
          {
            verdict: 'cannot say',
            why: 'not measured',
          },
        ),
      ];
    const d = pairedDiff(pairs, 0.01);
    return [
      row(
        CLAIMS.linear,
        vs,
        `At the last probe ${pct(mean(pairs.map((x) => x.mine)))} of ${v.name}'s pre-activations were in the ${v.spec.activation} linear band against ${pct(mean(pairs.map((x) => x.theirs)))} for ${v.baseline} (means over layers and seeds; more in ${d.higher} of ${pairs.length} seeds).`,
        judgeDiff(d, 'higher'),
      ),
    ];
  });
}

/** γ and β: reported, never judged — the identity needs statistics the probes do not record. */
export function bnIdentityCheck(data: ReportData): ClaimCheck[] {
  const bn = data.experiment.spec.variants.filter((v) => v.bn !== 'none');
  const parts = bn.flatMap((v) => {
    const runs = factsOf(data, v.name);
    const gamma = runs.flatMap((f) => layerMean(f, (l) => l.bnGamma?.mean) ?? []);
    const beta = runs.flatMap((f) => layerMean(f, (l) => l.bnBeta?.mean) ?? []);
    return gamma.length
      ? [`${v.name}: γ ${mean(gamma).toFixed(2)}, β ${mean(beta).toFixed(2)}`]
      : [];
  });
  const measured = parts.length
    ? `At the last probe (means over layers and seeds; γ starts at 1, β at 0): ${parts.join('; ')}.`
    : 'These logs have no γ/β probe (recorded since issue 8).';
  return [
    row(CLAIMS.identity, bn.map((v) => v.name).join(', '), measured, {
      verdict: 'cannot say',
      why: 'becoming the identity needs γ equal to each unit’s pre-normalisation standard deviation and β to its mean, which the probes do not record',
    }),
  ];
}

/** Dropout as an ensemble: 64 averaged thinned networks against the weight-scaled one. */
export function ensembleCheck(data: ReportData): ClaimCheck[] {
  const TOLERANCE = 0.02;
  return data.experiment.spec.variants.flatMap((v) => {
    if (v.dropout === 0 && v.convDropout === 0) return [];
    const found = factsOf(data, v.name).flatMap((f) => {
      const e = lastProbe(f)?.dropoutEnsemble;
      const many = e?.thinnedAccuracy.at(-1);
      const one = e?.thinnedAccuracy[0];
      return e && many !== undefined && one !== undefined
        ? [{ ws: e.weightScaledAccuracy, many, one, k: e.samples.at(-1) ?? 0 }]
        : [];
    });
    if (found.length === 0)
      return [
        row(
          CLAIMS.ensemble,
          v.name,
          'These logs have no Monte-Carlo dropout probe (recorded since issue 8).',
          {
            verdict: 'cannot say',
            why: 'not measured',
          },
        ),
      ];
    const close = found.filter((x) => Math.abs(x.many - x.ws) <= TOLERANCE).length;
    return [
      row(
        CLAIMS.ensemble,
        v.name,
        `At the last probe the average of ${Math.max(...found.map((x) => x.k))} thinned networks scored ${pct(mean(found.map((x) => x.many)))}, the weight-scaled network ${pct(mean(found.map((x) => x.ws)))} and one thinned network ${pct(mean(found.map((x) => x.one)))} (means over seeds); within 2 points in ${close} of ${found.length} seeds.`,
        judgeCounts(close, found.length - close, found.length),
      ),
    ];
  });
}
