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
];

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
    const values = new Set(variants.map((v) => v[field]));
    const only = variants[0]?.[field];
    if (values.size > 1) differing.push(field);
    else if (only !== undefined) shared.push({ field, value: only });
  }
  const rows = variants.map((v) => ({
    variant: v.name,
    values: Object.fromEntries(differing.map((f) => [f, v[f]])),
  }));
  return { differing, shared, rows };
}
