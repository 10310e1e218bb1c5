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

type Value = string | number | undefined;

/**
 * For any items and fields: the fields with more than one value among the items that have one (in
 * `fields` order), and the others with their one value. An item without a value (undefined: the
 * setting does not apply to it, e.g. BN momentum without BN) does not make a field differ; fields
 * no item has are left out.
 */
export function splitFields<T, F extends string>(
  items: readonly T[],
  fields: readonly F[],
  valueOf: (item: T, field: F) => Value,
): { differing: F[]; shared: { field: F; value: string | number }[] } {
  const differing: F[] = [];
  const shared: { field: F; value: string | number }[] = [];
  for (const field of fields) {
    const values = new Set(
      items.map((item) => valueOf(item, field)).filter((v) => v !== undefined),
    );
    const [only] = values;
    if (values.size > 1) differing.push(field);
    else if (only !== undefined) shared.push({ field, value: only });
  }
  return { differing, shared };
}

/** Splits the variant fields into those that differ (a table row per variant) and the shared ones. */
export function configDifferences(variants: readonly VariantSpec[]): ConfigDifferences {
  const split = splitFields(variants, FIELDS, valueOf);
  const differing = split.differing;
  // A rate every variant leaves to the experiment is not a variant setting worth listing.
  const shared = split.shared.filter((s) => s.value !== RECIPE_RATE);
  const rows = variants.map((v) => ({
    variant: v.name,
    values: Object.fromEntries(differing.map((f) => [f, valueOf(v, f)])),
  }));
  return { differing, shared, rows };
}
