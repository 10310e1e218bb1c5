/**
 * Messages between a run driver (the trainer process: data, batches, augmentation, checkpoints,
 * events) and a tensor engine that holds the model where a GPU is reachable — a page in headless
 * Chromium (`bnlab run`/`serve`) or a hidden trainer window (the desktop app). Requests and
 * replies are unions on `kind`, parsed on receipt on both sides: a malformed message is a
 * protocol error, never a crash.
 *
 * Tensors travel as `WireTensor`: little-endian bytes of a float32/int32 array, base64-encoded,
 * so one format survives Playwright's JSON bridge and Electron's structured clone alike. Every
 * request gets exactly one reply: the matching result kind, or `error`.
 */
import { z } from 'zod';
import { TrainingSpec, VariantSpec } from './config.js';
import { BnModes, DropoutEnsemble, LayerProbe, ModelSummary } from './events.js';

/** A number that may be NaN or ±Infinity (a diverged loss must reach the driver as it is). */
const AnyNumber = z.custom<number>((value) => typeof value === 'number', 'expected a number');

export const WireTensor = z.strictObject({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
  /** base64 of the little-endian bytes; length must equal 4 × product(shape). */
  base64: z.string(),
});
export type WireTensor = z.infer<typeof WireTensor>;

/** The three groups of tensors a checkpoint holds, in the model's fixed order. */
export const WireState = z.strictObject({
  variables: z.array(WireTensor),
  moving: z.array(WireTensor),
  optimizer: z.array(WireTensor),
});
export type WireState = z.infer<typeof WireState>;

/** GPU backends a tensor engine can run; `any` allows a software adapter when no hardware one exists. */
export const GpuBackendName = z.enum(['webgpu', 'webgl']);
export type GpuBackendName = z.infer<typeof GpuBackendName>;
export const AdapterPolicy = z.enum(['hardware', 'software', 'any']);
export type AdapterPolicy = z.infer<typeof AdapterPolicy>;

/** The adapter (WebGPU) or renderer (WebGL) a tensor engine found. */
export const AdapterInfo = z.strictObject({
  backend: GpuBackendName,
  vendor: z.string(),
  /** WebGPU `adapter.info.architecture`; WebGL: the unmasked renderer string. */
  architecture: z.string(),
  description: z.string(),
  /** SwiftShader, lavapipe, llvmpipe, WARP or a WebGPU fallback adapter. */
  software: z.boolean(),
});
export type AdapterInfo = z.infer<typeof AdapterInfo>;

const Batch = { x: WireTensor, labels: WireTensor };

export const EngineRequest = z.discriminatedUnion('kind', [
  /** Finds the adapter and switches tfjs to the backend; no model yet. */
  z.strictObject({ kind: z.literal('open'), backend: GpuBackendName }),
  /** Builds the model and optimizer (epoch-1 learning rate). */
  z.strictObject({
    kind: z.literal('init'),
    variant: VariantSpec,
    input: z.strictObject({
      height: z.int().positive(),
      width: z.int().positive(),
      channels: z.int().positive(),
      classes: z.int().positive(),
    }),
    seed: z.int(),
    training: TrainingSpec,
  }),
  z.strictObject({ kind: z.literal('step'), ...Batch, globalStep: z.int().nonnegative() }),
  z.strictObject({ kind: z.literal('evaluate'), ...Batch }),
  /** Loss and gradients of one training-mode batch, without applying them (tests, parity). */
  z.strictObject({ kind: z.literal('gradients'), ...Batch, globalStep: z.int().nonnegative() }),
  z.strictObject({ kind: z.literal('set-learning-rate'), learningRate: z.number().positive() }),
  /** The whole probe; `seed` and `step` seed the thinned networks of the MC-dropout ensemble. */
  z.strictObject({
    kind: z.literal('probe'),
    ...Batch,
    seed: z.int().nonnegative(),
    step: z.int().nonnegative(),
  }),
  z.strictObject({ kind: z.literal('save-state') }),
  z.strictObject({ kind: z.literal('load-state'), state: WireState }),
  z.strictObject({ kind: z.literal('memory') }),
  /** Disposes the model and optimizer (the engine stays open). */
  z.strictObject({ kind: z.literal('dispose') }),
]);
export type EngineRequest = z.infer<typeof EngineRequest>;
export type EngineRequestKind = EngineRequest['kind'];

export const EngineReply = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('opened'), adapter: AdapterInfo, tfjsVersion: z.string() }),
  z.strictObject({ kind: z.literal('ready'), summary: ModelSummary }),
  z.strictObject({ kind: z.literal('stepped'), loss: AnyNumber, correct: z.number() }),
  z.strictObject({ kind: z.literal('evaluated'), lossSum: AnyNumber, correct: z.number() }),
  z.strictObject({ kind: z.literal('gradients'), loss: AnyNumber, grads: z.array(WireTensor) }),
  z.strictObject({
    kind: z.literal('probed'),
    layers: z.array(LayerProbe),
    dropoutEnsemble: DropoutEnsemble.nullable(),
    bnModes: BnModes.nullable(),
  }),
  z.strictObject({ kind: z.literal('state'), state: WireState }),
  z.strictObject({ kind: z.literal('memory'), numTensors: z.int().nonnegative() }),
  z.strictObject({ kind: z.literal('done') }),
  z.strictObject({ kind: z.literal('error'), message: z.string() }),
]);
export type EngineReply = z.infer<typeof EngineReply>;

/** Which reply kind answers each request kind. */
export const REPLY_KIND = {
  open: 'opened',
  init: 'ready',
  step: 'stepped',
  evaluate: 'evaluated',
  gradients: 'gradients',
  'set-learning-rate': 'done',
  probe: 'probed',
  'save-state': 'state',
  'load-state': 'done',
  memory: 'memory',
  dispose: 'done',
} as const satisfies Record<EngineRequestKind, EngineReply['kind']>;

/**
 * The desktop app's route: the trainer (utility) process sends engine requests to its parent
 * (the Electron main process), which relays them to the hidden trainer window and answers with
 * the window's reply. `id` pairs them; the reply is parsed by the trainer (EngineReply).
 */
export const EngineRequestEnvelope = z.strictObject({
  kind: z.literal('engine-request'),
  id: z.int().nonnegative(),
  request: EngineRequest,
});
export type EngineRequestEnvelope = z.infer<typeof EngineRequestEnvelope>;

export const EngineReplyEnvelope = z.strictObject({
  kind: z.literal('engine-reply'),
  id: z.int().nonnegative(),
  reply: z.unknown(),
});
export type EngineReplyEnvelope = z.infer<typeof EngineReplyEnvelope>;

/**
 * The trainer is done with the hidden window (its adapter was refused, or the run ended): the
 * main process closes it, freeing its GPU memory; a later request opens a fresh one.
 */
export const EngineReleaseEnvelope = z.strictObject({ kind: z.literal('engine-release') });
export type EngineReleaseEnvelope = z.infer<typeof EngineReleaseEnvelope>;
