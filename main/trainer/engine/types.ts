/**
 * The tensor engine: everything of a run that touches tensors (model, train step, optimizer,
 * probes, checkpoint state), behind plain numbers and typed arrays. The run driver (train.ts)
 * owns the loop, the data, the checkpoint files and the events; an engine runs in the same
 * process (wasm, cpu, tfjs-node: local-engine.ts) or where a GPU is reachable — a Chromium page or
 * a hidden Electron window (remote-engine.ts). Both run the same code: local-engine.ts is what the
 * remote side executes.
 */
import type { TrainingSpec, VariantSpec } from '../../api/config.js';
import type { ModelSummary } from '../../api/events.js';
import type { InputSpec } from '../models/types.js';
import type { ProbeRunOptions, ProbeRunResult } from '../probe-run.js';
import type { EvalResult, StepResult } from '../train-step.js';
import type { HostTensor } from './wire-tensor.js';

export interface EngineSpec {
  variant: VariantSpec;
  input: InputSpec;
  seed: number;
  training: TrainingSpec;
}

/** A batch as the driver makes it: x NHWC float32, labels int32. */
export interface HostBatch {
  x: HostTensor;
  labels: HostTensor;
}

/** What a checkpoint holds, in the model's fixed order. */
export interface EngineState {
  variables: HostTensor[];
  moving: HostTensor[];
  optimizer: HostTensor[];
}

export interface TensorEngine {
  /** Builds the model and optimizer at the epoch-1 learning rate; resolves its summary. */
  init(spec: EngineSpec): Promise<ModelSummary>;
  /** One optimiser step; loss is NaN/±Infinity when the run diverged. */
  step(batch: HostBatch, globalStep: number): Promise<StepResult>;
  /** Inference-mode summed loss and correct count of a batch. */
  evaluate(batch: HostBatch): Promise<EvalResult>;
  /** Mean loss and the (undecayed) gradient of every trainable variable, not applied. */
  gradients(batch: HostBatch, globalStep: number): Promise<{ loss: number; grads: HostTensor[] }>;
  setLearningRate(lr: number): Promise<void>;
  /**
   * The whole probe of the fixed probe batch (probe-run.ts): activation probes, BN γ/β, gradient
   * flow, the MC-dropout ensemble and BN's two modes. `at` seeds the thinned networks.
   */
  probe(batch: HostBatch, at: ProbeRunOptions): Promise<ProbeRunResult>;
  saveState(): Promise<EngineState>;
  /** Throws, naming the tensor, when the state does not fit the model. */
  loadState(state: EngineState): Promise<void>;
  /** tfjs's live tensor count where the tensors are (leak checks). */
  numTensors(): Promise<number>;
  /** Disposes the model and optimizer. */
  dispose(): Promise<void>;
}
