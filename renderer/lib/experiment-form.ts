/**
 * The New-experiment form as plain data, and its validation with the contract's own zod schemas,
 * so every field error is known (and shown next to the field) before anything is sent.
 */
import {
  CreateExperimentParams,
  describeIssues,
  ExperimentSpec,
  type Activation,
  type Architecture,
  type BackendChoice,
  type BnPlacement,
  type DatasetName,
  type Scale,
} from '../../main/api/index.js';

export interface VariantForm {
  name: string;
  architecture: Architecture;
  bn: BnPlacement;
  dropout: number | null;
  convDropout: number | null;
  activation: Activation;
  width: number | null;
}

export interface CustomForm {
  name: string;
  dataset: DatasetName;
  seeds: number | null;
  epochs: number | null;
  batchSize: number | null;
  optimizer: 'sgd' | 'adam';
  learningRate: number | null;
  /** Empty means the whole training split. */
  trainSubset: number | null;
  probeImages: number | null;
  variants: VariantForm[];
}

export interface PresetForm {
  preset: string;
  scale: Scale;
  dataset: DatasetName;
  epochs: number | null;
  seeds: number | null;
}

/** Field path ("training.epochs", "variants.1.dropout") → message. */
export type FieldErrors = Record<string, string>;

/** A new variant row, named so that it does not clash with the existing ones. */
export function newVariant(
  existing: readonly VariantForm[],
  bn: BnPlacement = 'none',
): VariantForm {
  let n = existing.length + 1;
  const names = new Set(existing.map((v) => v.name));
  while (names.has(`variant-${n}`)) n += 1;
  return {
    name: `variant-${n}`,
    architecture: 'simple-cnn',
    bn,
    dropout: 0,
    convDropout: 0,
    activation: 'relu',
    width: 1,
  };
}

/** The default custom form: the seed's first question, BN none vs before the activation. */
export function defaultCustomForm(): CustomForm {
  const a = { ...newVariant([], 'none'), name: 'no-bn' };
  const b = { ...newVariant([a], 'before-activation'), name: 'bn-before' };
  return {
    name: 'my-experiment',
    dataset: 'mnist',
    seeds: 1,
    epochs: 3,
    batchSize: 64,
    optimizer: 'sgd',
    learningRate: 0.01,
    trainSubset: 2048,
    probeImages: 128,
    variants: [a, b],
  };
}

const orUndefined = (v: number | null) => (v === null || Number.isNaN(v) ? undefined : v);

/** The experiment spec the form describes (unvalidated input for ExperimentSpec). */
export function customSpec(form: CustomForm): unknown {
  return {
    name: form.name,
    dataset: form.dataset,
    seeds: form.seeds,
    training: {
      epochs: form.epochs,
      batchSize: form.batchSize,
      optimizer: form.optimizer,
      learningRate: form.learningRate,
      trainSubset: orUndefined(form.trainSubset),
      probeImages: form.probeImages,
    },
    variants: form.variants.map((v) => ({
      name: v.name,
      architecture: v.architecture,
      bn: v.bn,
      dropout: v.dropout,
      convDropout: v.convDropout,
      activation: v.activation,
      width: v.width,
    })),
  };
}

function friendly(message: string): string {
  return /received (null|NaN|undefined)/.test(message) ? 'enter a number' : message;
}

/** Maps API/zod issues to field errors (first message per field wins). */
export function toFieldErrors(issues: readonly { path: string; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  // The lab reports create/validate issues under `spec.`; the form's paths are relative to the spec.
  for (const issue of issues) errors[issue.path.replace(/^spec\./, '')] ??= friendly(issue.message);
  return errors;
}

/** Validates a custom form locally; empty when it is valid. */
export function validateCustom(form: CustomForm): FieldErrors {
  const parsed = ExperimentSpec.safeParse(customSpec(form));
  return parsed.success ? {} : toFieldErrors(describeIssues(parsed.error));
}

const PresetParams = CreateExperimentParams.options[0];

/** The create-params of a preset form (epochs/seeds omitted when left empty). */
export function presetParams(form: PresetForm, backend: BackendChoice): unknown {
  return {
    preset: form.preset,
    scale: form.scale,
    dataset: form.dataset,
    epochs: orUndefined(form.epochs),
    seeds: orUndefined(form.seeds),
    backend,
  };
}

/** Validates a preset form locally; empty when it is valid. */
export function validatePreset(form: PresetForm, backend: BackendChoice): FieldErrors {
  const parsed = PresetParams.safeParse(presetParams(form, backend));
  return parsed.success ? {} : toFieldErrors(describeIssues(parsed.error));
}
