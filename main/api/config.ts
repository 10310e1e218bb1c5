/**
 * Experiment, variant and training configuration: the schemas every transport, file and process
 * boundary parses with. Fields left out take the defaults below; unknown fields are refused
 * (`z.strictObject`), so a typo in an experiment file is an error that names the field.
 */
import { z } from 'zod';

export const ARCHITECTURES = ['simple-cnn', 'deeper-cnn', 'resnet20'] as const;
export const BN_PLACEMENTS = ['none', 'before-activation', 'after-activation'] as const;
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
export const DATASETS = ['mnist', 'cifar10'] as const;
/**
 * What the user asks for. `tensorflow` means native (GPU if it finds one, else CPU). `webgpu` and
 * `webgl` run in a browser engine on a hardware adapter, else on a software one (SwiftShader);
 * `auto` takes only hardware adapters.
 */
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

export const Architecture = z.enum(ARCHITECTURES);
export const BnPlacement = z.enum(BN_PLACEMENTS);
export const Activation = z.enum(ACTIVATIONS);
export const DatasetName = z.enum(DATASETS);
export const BackendChoice = z.enum(BACKEND_CHOICES);

export type Architecture = z.infer<typeof Architecture>;
export type BnPlacement = z.infer<typeof BnPlacement>;
export type Activation = z.infer<typeof Activation>;
export type DatasetName = z.infer<typeof DatasetName>;
export type BackendChoice = z.infer<typeof BackendChoice>;

const SLUG_MESSAGE = 'use lower-case letters, digits, ".", "_" and single "-" (not at the end)';

/**
 * Names used in ids and file names: lower-case letters, digits, `-`, `_`, `.`. `--` separates the
 * parts of a run id (`<experiment>--<variant>--s<seed>`), so a name can neither hold `--` nor end
 * in `-` (which would make `e-` + `--` read as `e` + `--` + `-`): every id splits one way only.
 */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9._]|-(?=[a-z0-9._]))*$/, SLUG_MESSAGE);

/**
 * Names as records written before the trailing-`-` rule may hold them: read from disk only, so
 * older runs keep listing, showing and deleting; nothing new is created with one.
 */
export const StoredSlug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9._]|-(?!-))*$/, SLUG_MESSAGE);

const Rate = z.number().min(0).lt(1);

/**
 * One model of an experiment. `dropout` is the rate before each hidden dense layer's output
 * (simple/deeper CNN: after dense512; ResNet-20: before the classifier); `convDropout` the rate
 * after each pooling block / stage. BN momentum follows the Keras convention
 * (moving = momentum·moving + (1−momentum)·batch), default 0.9 — see keras-team/keras#10666.
 */
export const VariantSpec = z.strictObject({
  name: Slug,
  architecture: Architecture.default('simple-cnn'),
  bn: BnPlacement.default('none'),
  bnMomentum: z.number().min(0).lt(1).default(0.9),
  bnEpsilon: z.number().positive().max(1).default(1e-3),
  dropout: Rate.default(0),
  convDropout: Rate.default(0),
  activation: Activation.default('relu'),
  width: z.number().min(0.0625).max(4).default(1),
  /**
   * This variant's initial learning rate instead of the experiment's `training.learningRate` (the
   * schedule scales it the same way); absent = the experiment's rate. Lets one experiment compare
   * rates, as the `bn-learning-rate` preset does.
   */
  learningRate: z.number().positive().max(10).optional(),
});
export type VariantSpec = z.infer<typeof VariantSpec>;
/** A variant as stored in records (see `StoredSlug`). */
export const StoredVariantSpec = VariantSpec.extend({ name: StoredSlug });
export type VariantInput = z.input<typeof VariantSpec>;

export const Optimizer = z.enum(['sgd', 'adam']);
export const Schedule = z.enum(['constant', 'step', 'cosine']);

/** Epochs per run: the one rule for experiment files, the API and `bnlab run --epochs`. */
export const Epochs = z.int().min(1).max(1000);
/** Seeds per variant: the one rule for experiment files, the API and `bnlab run --seeds`. */
export const Seeds = z.int().min(1).max(20);
/**
 * Images of a split used (`trainSubset`, `validationSubset`): the one rule for experiment files,
 * the API and `bnlab run --train-subset/--validation-subset`.
 */
export const SubsetImages = z.int().min(1);

/** The recipe shared by every variant of an experiment. Sizes in images, rates per step. */
export const TrainingSpec = z.strictObject({
  epochs: Epochs.default(5),
  batchSize: z.int().min(1).max(4096).default(64),
  optimizer: Optimizer.default('sgd'),
  learningRate: z.number().positive().max(10).default(0.01),
  /** SGD momentum (0 = plain SGD); ignored by Adam. */
  momentum: z.number().min(0).lt(1).default(0.9),
  /** L2 weight decay added to the gradient of conv/dense kernels (not biases, not BN). */
  weightDecay: z.number().min(0).max(1).default(0),
  schedule: Schedule.default('constant'),
  /** `step` schedule: multiply the rate by `stepGamma` every `stepEpochs` epochs. */
  stepEpochs: z.int().min(1).default(10),
  stepGamma: z.number().positive().max(1).default(0.1),
  /**
   * `step` schedule with explicit milestones instead of a period: multiply by `stepGamma` after
   * each listed epoch (He et al.'s ResNet recipe: after epochs 82 and 123 of 164).
   */
  stepMilestones: z.array(z.int().min(1)).max(20).optional(),
  /** Seeded pad-4 random crop and horizontal flip, per batch, training split only. */
  augment: z.boolean().default(false),
  /** Fraction of the training set held out for validation (the test set stays apart). */
  validationFraction: z.number().gt(0).lt(1).default(0.1),
  /** Use only this many training images (after the validation split); all when absent. */
  trainSubset: SubsetImages.optional(),
  /** Use only this many validation images; all when absent. */
  validationSubset: SubsetImages.optional(),
  /**
   * Training images evaluated in inference mode at every epoch end (a fixed seeded subset, the
   * same for every run; the whole split when it is smaller): the epoch's train loss/accuracy.
   */
  trainEvalImages: z.int().min(1).default(1000),
  /** Images in the fixed probe batch (from the validation split). */
  probeImages: z.int().min(1).max(2048).default(256),
  /** Probe every N batches as well as at every epoch end; 0 = epoch ends only. */
  probeEveryBatches: z.int().min(0).default(0),
  /** Minimum time between `progress` events of one run. */
  progressIntervalMs: z.int().min(0).default(250),
});
export type TrainingSpec = z.infer<typeof TrainingSpec>;
export type TrainingInput = z.input<typeof TrainingSpec>;

const experimentFields = {
  description: z.string().max(2000).optional(),
  dataset: DatasetName.default('mnist'),
  seeds: Seeds.default(1),
  /** Run seeds are baseSeed, baseSeed+1, … */
  baseSeed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  training: TrainingSpec.default(TrainingSpec.parse({})),
};

/**
 * Constraints across fields, each stated once here and checked before anything is created:
 * variant names are unique; ResNet-20 has no "BN after the activation" (its residual blocks add
 * the shortcut before the activation, so there is no place for it).
 */
function checkVariants(spec: { variants: readonly VariantSpec[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  spec.variants.forEach((v, i) => {
    if (seen.has(v.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'name'],
        message: `variant name "${v.name}" is used twice`,
      });
    }
    seen.add(v.name);
    if (v.architecture === 'resnet20' && v.bn === 'after-activation') {
      ctx.addIssue({
        code: 'custom',
        path: ['variants', i, 'bn'],
        message: 'resnet20 takes bn "none" or "before-activation", not "after-activation"',
      });
    }
  });
}

/** An experiment: variants × seeds on one dataset with one recipe (the JSON file format). */
export const ExperimentSpec = z
  .strictObject({
    name: Slug,
    ...experimentFields,
    variants: z.array(VariantSpec).min(1).max(32),
  })
  .superRefine(checkVariants);
/**
 * An experiment as stored in records: names as `StoredSlug`, and no cross-field rule, so a record
 * written before a rule existed still reads (its runs failed or ran as they did).
 */
export const StoredExperimentSpec = z.strictObject({
  name: StoredSlug,
  ...experimentFields,
  variants: z.array(StoredVariantSpec).min(1).max(32),
});
export type ExperimentSpec = z.infer<typeof ExperimentSpec>;
export type ExperimentInput = z.input<typeof ExperimentSpec>;

export const Scale = z.enum(['quick', 'full']);
export type Scale = z.infer<typeof Scale>;

/** Everything one trainer process needs for one run (variant × seed). */
export const RunConfig = z.strictObject({
  runId: z.string().min(1),
  experimentId: z.string().min(1),
  experimentName: StoredSlug,
  dataset: DatasetName,
  variant: StoredVariantSpec,
  seed: z.int().min(0),
  training: TrainingSpec,
  backend: BackendChoice.default('auto'),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** The recipe a run trains with: the experiment's, with the variant's learning rate if it sets one. */
export function runTraining(variant: VariantSpec, training: TrainingSpec): TrainingSpec {
  return variant.learningRate === undefined
    ? training
    : { ...training, learningRate: variant.learningRate };
}

/** A zod error as `field.path: message` lines, for CLI output and UI field errors. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return flatten(error.issues, []).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

type Issue = z.core.$ZodIssue;

/**
 * Replaces each "no union branch matched" issue by the issues of the branch that got furthest
 * (the deepest failing path): `{spec: {...bad bn...}}` reports `spec.variants.0.bn`, not
 * "Invalid input".
 */
function flatten(
  issues: readonly Issue[],
  prefix: PropertyKey[],
): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== 'invalid_union' || issue.errors.length === 0)
      return [{ path, message: issue.message }];
    const depth = (branch: readonly Issue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0] ?? [];
    return flatten(best, path);
  });
}

/** One-line summary of a zod error naming every bad field. */
export function formatIssues(error: z.ZodError): string {
  return describeIssues(error)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
}
