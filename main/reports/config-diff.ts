/** The variant settings that differ between an experiment's variants (the rest is shared). */
import type { VariantSpec } from '../api/config.js';

export type VariantField = Exclude<keyof VariantSpec, 'name'>;

const FIELDS: readonly VariantField[] = [
  'architecture',
  'bn',
  'bnMomentum',
  'bnEpsilon',
  'dropout',
  'convDropout',
  'activation',
  'width',
  'learningRate',
];

/** A variant without its own learning rate trains with the experiment's. */
const RECIPE_RATE = 'experiment rate';

const valueOf = (v: VariantSpec, field: VariantField): string | number | undefined =>
  field === 'learningRate' ? (v.learningRate ?? RECIPE_RATE) : v[field];

export interface ConfigDifferences {
  /** Fields whose value is not the same in every variant, in a fixed order. */
  differing: VariantField[];
  /** Fields with one value across all variants, with that value. */
  shared: { field: VariantField; value: string | number }[];
  rows: { variant: string; values: Partial<Record<VariantField, string | number>> }[];
}

/** Splits the variant fields into those that differ (a table row per variant) and the shared ones. */
export function configDifferences(variants: readonly VariantSpec[]): ConfigDifferences {
  const differing: VariantField[] = [];
  const shared: ConfigDifferences['shared'] = [];
  for (const field of FIELDS) {
    const values = new Set(variants.map((v) => valueOf(v, field)));
    const first = variants[0];
    if (values.size > 1) differing.push(field);
    // A rate every variant leaves to the experiment is not a variant setting worth listing.
    else if (first && valueOf(first, field) !== RECIPE_RATE) {
      const only = valueOf(first, field);
      if (only !== undefined) shared.push({ field, value: only });
    }
  }
  const rows = variants.map((v) => ({
    variant: v.name,
    values: Object.fromEntries(differing.map((f) => [f, valueOf(v, f)])),
  }));
  return { differing, shared, rows };
}
