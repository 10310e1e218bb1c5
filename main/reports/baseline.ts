/**
 * Which variant each variant is compared with for "epochs to reach the baseline's best validation
 * accuracy" (Ioffe & Szegedy's speed-up measure).
 *
 * - BN experiment (some variants have `bn: 'none'`, some not): the candidates are the `bn: 'none'`
 *   variants, those without dropout first.
 * - Dropout experiment (BN placement the same everywhere, dropout varies): the candidates are the
 *   variants with `dropout` and `convDropout` both 0.
 * - Anything else: no baseline.
 *
 * Each variant takes the first candidate (in spec order) with the same architecture, activation,
 * width and learning rate (learningRateOf), so a tanh+BN variant is measured against tanh without
 * BN and BN at lr 0.1 against no BN at lr 0.1; when no candidate matches, the first candidate.
 */
import type { VariantSpec } from '../api/config.js';

export type BaselineKind = 'bn' | 'dropout' | 'none';

export interface BaselinePlan {
  kind: BaselineKind;
  /** Variant name → its baseline's variant name (absent when the experiment has no baseline). */
  baselineOf: Map<string, string>;
  /** In words, for the report. */
  rule: string;
}

/**
 * A variant's own learning rate: its `learningRate` field where the spec has one (a per-variant
 * override), else one written in its name (`bn-lr0.1`, `no-bn-lr-0.05`), else null (the
 * experiment's rate).
 */
export function learningRateOf(spec: VariantSpec): number | null {
  if ('learningRate' in spec && typeof spec.learningRate === 'number') return spec.learningRate;
  const match = /(?:^|[-_])lr[-_]?(\d*\.?\d+(?:e-?\d+)?)/i.exec(spec.name);
  return match?.[1] !== undefined ? Number(match[1]) : null;
}

const noDropout = (v: VariantSpec): boolean => v.dropout === 0 && v.convDropout === 0;

/** Picks the baseline of every variant; see the module comment for the rule. */
export function planBaselines(variants: readonly VariantSpec[]): BaselinePlan {
  const placements = new Set(variants.map((v) => v.bn));
  let kind: BaselineKind = 'none';
  let candidates: VariantSpec[] = [];
  if (placements.has('none') && placements.size > 1) {
    kind = 'bn';
    const withoutBn = variants.filter((v) => v.bn === 'none');
    candidates = [...withoutBn.filter(noDropout), ...withoutBn.filter((v) => !noDropout(v))];
  } else if (
    placements.size === 1 &&
    variants.some(noDropout) &&
    variants.some((v) => !noDropout(v))
  ) {
    kind = 'dropout';
    candidates = variants.filter(noDropout);
  }
  const baselineOf = new Map<string, string>();
  const first = candidates[0];
  if (first) {
    for (const v of variants) {
      const matched = candidates.find(
        (c) =>
          c.architecture === v.architecture &&
          c.activation === v.activation &&
          c.width === v.width &&
          learningRateOf(c) === learningRateOf(v),
      );
      baselineOf.set(v.name, (matched ?? first).name);
    }
  }
  return { kind, baselineOf, rule: describeRule(kind) };
}

function describeRule(kind: BaselineKind): string {
  switch (kind) {
    case 'bn':
      return 'Baseline: the variant without batch normalization (bn: none) of the same architecture, activation, width and learning rate.';
    case 'dropout':
      return 'Baseline: the variant without dropout (dropout 0) of the same architecture, activation, width and learning rate.';
    case 'none':
      return 'No baseline: the variants neither compare batch normalization with none nor dropout with none.';
  }
}
