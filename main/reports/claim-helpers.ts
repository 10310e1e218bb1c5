/** Small helpers shared by the claim evaluators (claim-checks.ts, claim-mechanisms.ts). */
import type { LayerProbe } from '../api/events.js';
import type { Claim, ClaimCheck } from './claim-catalogue.js';
import type { Judged } from './claim-verdict.js';
import { epochProbes, runsOfVariant, type ProbeEvent, type ReportData } from './data.js';
import { runFacts, type RunFacts } from './run-facts.js';

export const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
export const mean = (xs: readonly number[]): number =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
export const row = (
  claim: Claim,
  comparison: string,
  measured: string,
  judged: Judged,
): ClaimCheck => ({
  claim,
  comparison,
  measured,
  ...judged,
});

export function factsOf(data: ReportData, name: string): RunFacts[] {
  return runsOfVariant(data, name).map(runFacts);
}

/** The last epoch-end probe after training started, or undefined. */
export function lastProbe(f: RunFacts): ProbeEvent | undefined {
  return epochProbes(f.run)
    .filter((p) => p.epoch > 0)
    .at(-1);
}

/** Mean of a per-layer measure over the layers that have it at the run's last probe, or null. */
export function layerMean(
  f: RunFacts,
  pick: (l: LayerProbe) => number | null | undefined,
): number | null {
  const values = (lastProbe(f)?.layers ?? []).flatMap((l) => {
    const v = pick(l);
    return v === null || v === undefined ? [] : [v];
  });
  return values.length ? mean(values) : null;
}

/** Same-seed pairs of two variants' runs (every run, learned or not). */
export function seedPairs(a: RunFacts[], b: RunFacts[]): { v: RunFacts; b: RunFacts }[] {
  return a.flatMap((v) => {
    const other = b.find((x) => x.seed === v.seed);
    return other ? [{ v, b: other }] : [];
  });
}
