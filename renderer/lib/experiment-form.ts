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
  type ExperimentSpec as ExperimentSpecType,
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
  /** Settings the form does not show (BN momentum, a per-variant learning rate), kept as they are. */
  extra?: Record<string, unknown>;
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
  /** Training settings the form does not show (momentum, validation subset…), kept as they are. */
  extraTraining?: Record<string, unknown>;
  /** Experiment fields the form does not show (the base seed), kept as they are. */
  extra?: Record<string, unknown>;
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

/**
 * The custom form a preset starts from: its variants and recipe at the chosen scale (the spec the
 * lab would create for it), named `<preset>-custom`. Fields the form does not show travel along
 * unchanged, so the custom experiment equals the preset until the user edits a field.
 */
export function customFormFromSpec(spec: ExperimentSpecType): CustomForm {
  const { epochs, batchSize, optimizer, learningRate, trainSubset, probeImages, ...extraTraining } =
    spec.training;
  return {
    // The preset's description would no longer describe an edited experiment: left out.
    extra: { baseSeed: spec.baseSeed },
    name: `${spec.name}-custom`.slice(0, 64),
    dataset: spec.dataset,
    seeds: spec.seeds,
    epochs,
    batchSize,
    optimizer,
    learningRate,
    trainSubset: trainSubset ?? null,
    probeImages,
    extraTraining: { ...extraTraining },
    variants: spec.variants.map((v) => {
      const { name, architecture, bn, dropout, convDropout, activation, width, ...extra } = v;
      return { name, architecture, bn, dropout, convDropout, activation, width, extra };
    }),
  };
}

const orUndefined = (v: number | null) => (v === null || Number.isNaN(v) ? undefined : v);

/** The experiment spec the form describes (unvalidated input for ExperimentSpec). */
export function customSpec(form: CustomForm): unknown {
  return {
    ...form.extra,
    name: form.name,
    dataset: form.dataset,
    seeds: form.seeds,
    training: {
      ...form.extraTraining,
      epochs: form.epochs,
      batchSize: form.batchSize,
      optimizer: form.optimizer,
      learningRate: form.learningRate,
      trainSubset: orUndefined(form.trainSubset),
      probeImages: form.probeImages,
    },
    variants: form.variants.map((v) => ({
      ...v.extra,
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
