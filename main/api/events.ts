/**
 * Trainer events: what a trainer process reports, what `events.jsonl` stores one per line, and
 * what the UI receives. A discriminated union on `kind`. Units: times are epoch milliseconds
 * (`time`), durations `…Ms`, rates `imagesPerSecond`, accuracies in [0, 1], epochs 1-based.
 * Every run's stream is `started`, then `progress`/`epoch`/`probe`/`log`, then exactly one
 * terminal event (`completed`, `stopped`, `diverged`, `failed` or `interrupted`).
 */
import { z } from 'zod';
import { Activation } from './config.js';
import { SYMLOG_BIN_COUNT } from './histogram.js';

const Finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** Loss values may be non-finite only in the `diverged` event. */
const Time = z.number().int().nonnegative();

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;

/** Which backend trains a run, on what, and why a better one was not used. */
export const BackendInfo = z.strictObject({
  name: BackendName,
  /**
   * `gpu` when tfjs-node-gpu reported a CUDA device (isUsingGpuDevice), or webgpu/webgl ran on a
   * hardware adapter; a software adapter (SwiftShader) is `cpu`.
   */
  device: z.enum(['gpu', 'cpu']),
  /** npm package that provides it, e.g. `@tensorflow/tfjs-node-gpu`. */
  package: z.string(),
  version: z.string(),
  /**
   * Backend-specific facts: `simd`, `threads`, `customKernels`, `cudaDevice`; webgpu/webgl:
   * `adapter` (vendor architecture (software|hardware)), `adapterVendor`,
   * `adapterArchitecture`, `softwareAdapter`, `host` (chromium or electron version)…
   */
  flags: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Human sentence: why this one, and why not the better ones. */
  reason: z.string(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const LayerSummary = z.strictObject({
  name: z.string(),
  type: z.enum([
    'conv',
    'dense',
    'batchnorm',
    'activation',
    'maxpool',
    'dropout',
    'add',
    'gap',
    'flatten',
  ]),
  outputShape: z.array(z.number().int()),
  params: z.number().int().nonnegative(),
});
export const ModelSummary = z.strictObject({
  architecture: z.string(),
  inputShape: z.array(z.number().int()),
  layers: z.array(LayerSummary),
  trainableParams: z.number().int().nonnegative(),
  nonTrainableParams: z.number().int().nonnegative(),
  /** Multiply-adds × 2 of one forward pass of one image. */
  flopsPerImage: z.number().nonnegative(),
  /** e.g. ResNet-20: "option A (identity + zero-padded channels)". */
  notes: z.array(z.string()).default([]),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

export const Histogram = z.strictObject({
  scheme: z.literal('symlog-v1'),
  counts: z.array(z.number().int().nonnegative()).length(SYMLOG_BIN_COUNT),
  underflow: z.number().int().nonnegative(),
  overflow: z.number().int().nonnegative(),
  zeros: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type Histogram = z.infer<typeof Histogram>;

export const Stats = z.strictObject({ mean: Finite, std: Finite, min: Finite, max: Finite });
export type Stats = z.infer<typeof Stats>;

/** One layer that feeds a nonlinearity, measured on the fixed probe batch. */
export const LayerProbe = z.strictObject({
  /** Layer name as in the model summary, e.g. `conv1`, `dense1`, `s2b1.conv2`. */
  layer: z.string(),
  type: z.enum(['conv', 'dense']),
  activation: Activation,
  /** Channels (conv) or neurons (dense). */
  units: z.number().int().positive(),
  /** Input of the nonlinearity and its output. */
  pre: Histogram,
  post: Histogram,
  preStats: Stats,
  postStats: Stats,
  /** ReLU: units whose output is 0 for every probe image and position; null otherwise. */
  deadUnits: z.number().int().nonnegative().nullable(),
  /** ReLU: deadUnits / units; null otherwise. */
  deadFraction: z.number().min(0).max(1).nullable(),
  /** tanh: |y| > 0.99; sigmoid: y < 0.01 or y > 0.99 (fraction of values); null for ReLU. */
  saturatedFraction: z.number().min(0).max(1).nullable(),
  /**
   * tanh/sigmoid: fraction of pre-activations in the function's linear band (where it stays
   * within a few percent of its tangent at 0; the band is defined in probes.ts and the README);
   * null for ReLU. Absent in logs recorded before it existed.
   */
  linearFraction: z.number().min(0).max(1).nullable().optional(),
  /** The BN layer next to this nonlinearity: its learned scale γ and shift β; null without BN. */
  bnGamma: Stats.nullable().optional(),
  bnBeta: Stats.nullable().optional(),
  /**
   * Gradient flow on the probe batch: L2 norm of the loss gradient w.r.t. this layer's kernel,
   * and the fraction of its units (output channels / neurons) whose kernel gradient is exactly
   * zero. Absent in old logs.
   */
  gradNorm: z.number().nonnegative().nullable().optional(),
  zeroGradFraction: z.number().min(0).max(1).nullable().optional(),
});
export type LayerProbe = z.infer<typeof LayerProbe>;

/**
 * Monte-Carlo dropout against weight scaling on the probe batch (accuracies in [0, 1]):
 * `weightScaledAccuracy` is standard inference; `thinned[i]` the accuracy of the mean softmax of
 * `samples[i]` seeded thinned networks (samples 1, 2, 4 … 64; samples[0] = 1 is one thinned pass).
 */
export const DropoutEnsemble = z.strictObject({
  weightScaledAccuracy: z.number().min(0).max(1),
  samples: z.array(z.number().int().positive()),
  thinnedAccuracy: z.array(z.number().min(0).max(1)),
});
export type DropoutEnsemble = z.infer<typeof DropoutEnsemble>;

/**
 * Accuracy on the probe batch with BN normalising by the moving averages (inference, what
 * validation uses) and by the probe batch's own statistics (training-mode BN, dropout off).
 */
export const BnModes = z.strictObject({
  movingStatsAccuracy: z.number().min(0).max(1),
  batchStatsAccuracy: z.number().min(0).max(1),
});
export type BnModes = z.infer<typeof BnModes>;

export const DatasetInfo = z.strictObject({
  name: z.string(),
  inputShape: z.array(z.number().int()),
  classes: z.number().int().positive(),
  trainCount: z.number().int().nonnegative(),
  validationCount: z.number().int().nonnegative(),
  testCount: z.number().int().nonnegative(),
});
export type DatasetInfo = z.infer<typeof DatasetInfo>;

const base = { time: Time };

export const StartedEvent = z.strictObject({
  ...base,
  kind: z.literal('started'),
  backend: BackendInfo,
  model: ModelSummary,
  dataset: DatasetInfo,
  /** Last epoch restored from a checkpoint (0 for a fresh run). */
  resumedFromEpoch: z.number().int().nonnegative(),
  pid: z.number().int(),
  /** The `bnlab worker` that trains the run (`host (pid N)`); absent when the lab trains it. */
  worker: z.string().max(300).optional(),
});
export const ProgressEvent = z.strictObject({
  ...base,
  kind: z.literal('progress'),
  epoch: z.number().int().positive(),
  /** Batches done in this epoch (1-based) of batchesPerEpoch. */
  batch: z.number().int().nonnegative(),
  batchesPerEpoch: z.number().int().positive(),
  /**
   * Running mean over the epoch's steps so far, in training mode (dropout on, BN batch statistics)
   * — the epoch event's `trainRunningLoss`/`trainRunningAccuracy` series, not its `trainLoss`.
   */
  loss: Finite,
  accuracy: z.number().min(0).max(1),
  imagesPerSecond: z.number().nonnegative(),
  /**
   * Mean training loss and accuracy (training mode) of the `windowBatches` batches since the
   * previous progress event of this epoch (or since the epoch began), weighted by images: the
   * per-batch training curve. Optional: logs written before they existed lack them.
   */
  windowLoss: Finite.optional(),
  windowAccuracy: z.number().min(0).max(1).optional(),
  windowBatches: z.number().int().positive().optional(),
  /** Optimizer steps done so far in the run (1-based: the step that ended the window). */
  step: z.number().int().positive().optional(),
});
export const EpochEvent = z.strictObject({
  ...base,
  kind: z.literal('epoch'),
  epoch: z.number().int().positive(),
  /**
   * Inference mode (dropout off, BN moving statistics) on a fixed seeded subset of the training
   * split of `trainEvalImages` images — the same code path as validation. In logs recorded before
   * `trainEvalImages` existed these are the running training-mode mean.
   */
  trainLoss: Finite,
  trainAccuracy: z.number().min(0).max(1),
  trainEvalImages: z.number().int().nonnegative().optional(),
  /** Running mean of the epoch's training steps (training mode: dropout on, batch statistics). */
  trainRunningLoss: Finite.optional(),
  trainRunningAccuracy: z.number().min(0).max(1).optional(),
  valLoss: Finite,
  valAccuracy: z.number().min(0).max(1),
  learningRate: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  imagesPerSecond: z.number().nonnegative(),
});
/** An epoch event's inference-mode metric: `trainLoss`, `valLoss`, `trainAccuracy` or `valAccuracy`. */
export function epochMetric(
  event: z.infer<typeof EpochEvent>,
  metric: 'loss' | 'accuracy',
  split: 'train' | 'validation',
): number {
  if (metric === 'loss') return split === 'train' ? event.trainLoss : event.valLoss;
  return split === 'train' ? event.trainAccuracy : event.valAccuracy;
}

export const ProbeEvent = z.strictObject({
  ...base,
  kind: z.literal('probe'),
  epoch: z.number().int().nonnegative(),
  /** Global optimizer step at which the probe ran. */
  step: z.number().int().nonnegative(),
  /** True for the probe taken at the end of `epoch`. */
  epochEnd: z.boolean(),
  layers: z.array(LayerProbe),
  /** Dropout as an ensemble, on the probe batch; null for variants without dropout. */
  dropoutEnsemble: DropoutEnsemble.nullable().optional(),
  /** BN's two modes on the probe batch; null for variants without BN. */
  bnModes: BnModes.nullable().optional(),
});
export const LogEvent = z.strictObject({
  ...base,
  kind: z.literal('log'),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
const terminal = { ...base, epochsCompleted: z.number().int().nonnegative() };
export const CompletedEvent = z.strictObject({ ...terminal, kind: z.literal('completed') });
export const StoppedEvent = z.strictObject({ ...terminal, kind: z.literal('stopped') });
export const DivergedEvent = z.strictObject({
  ...terminal,
  kind: z.literal('diverged'),
  epoch: z.number().int().positive(),
  batch: z.number().int().nonnegative(),
  /** The non-finite loss as text ("NaN", "Infinity"), since JSON cannot hold it. */
  loss: z.string(),
});
export const FailedEvent = z.strictObject({
  ...terminal,
  kind: z.literal('failed'),
  message: z.string(),
});
export const InterruptedEvent = z.strictObject({
  ...terminal,
  kind: z.literal('interrupted'),
  reason: z.string(),
});

export const TerminalEvent = z.discriminatedUnion('kind', [
  CompletedEvent,
  StoppedEvent,
  DivergedEvent,
  FailedEvent,
  InterruptedEvent,
]);
export type TerminalEvent = z.infer<typeof TerminalEvent>;

export const TrainerEvent = z.discriminatedUnion('kind', [
  StartedEvent,
  ProgressEvent,
  EpochEvent,
  ProbeEvent,
  LogEvent,
  CompletedEvent,
  StoppedEvent,
  DivergedEvent,
  FailedEvent,
  InterruptedEvent,
]);
export type TrainerEvent = z.infer<typeof TrainerEvent>;
export type TrainerEventKind = TrainerEvent['kind'];
export type EventOf<K extends TrainerEventKind> = Extract<TrainerEvent, { kind: K }>;

export const TERMINAL_KINDS = [
  'completed',
  'stopped',
  'diverged',
  'failed',
  'interrupted',
] as const;
export function isTerminal(event: TrainerEvent): event is TerminalEvent {
  return (TERMINAL_KINDS as readonly string[]).includes(event.kind);
}

/** Compile-time exhaustiveness check for `switch (x.kind)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
