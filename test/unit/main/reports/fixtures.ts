/**
 * Synthetic ReportData for report tests: variants × seeds, a few epochs, epoch-end probes whose
 * histograms are binned from seeded normal samples (wide without BN, unit-scale with BN), so
 * charts and numbers look like a real experiment without training one.
 */
import seedrandom from 'seedrandom';
import {
  ExperimentSpec,
  VariantSpec,
  type Activation,
  type VariantInput,
} from '../../../../main/api/config.js';
import type { EventOf, Histogram, LayerProbe, TrainerEvent } from '../../../../main/api/events.js';
import { SYMLOG_BIN_COUNT, symlogBin } from '../../../../main/api/histogram.js';
import type { ExperimentRecord, RunRecord, RunStatus } from '../../../../main/api/records.js';
import type { ReportData } from '../../../../main/reports/data.js';

export interface FixtureOptions {
  name?: string;
  description?: string;
  variants?: VariantInput[];
  seeds?: number;
  epochs?: number;
  /** Validation accuracy of a run at an epoch (1-based); the default rises towards 0.9 / 0.95 with BN. */
  valAccuracy?: (variant: VariantSpec, seedIndex: number, epoch: number) => number;
  /** Status and epochs done per run; default completed with every epoch. */
  progress?: (variant: VariantSpec, seedIndex: number) => { status: RunStatus; epochsDone: number };
  /** Replaces run ids (e.g. hostile text for CSV tests). */
  runId?: (variant: VariantSpec, seedIndex: number) => string;
  /** Layer names of the model (default conv1, conv2, dense1). */
  layers?: string[];
  /** Validation loss of a run at an epoch; the default falls from ≈1.7 towards 0.1. */
  valLoss?: (variant: VariantSpec, seedIndex: number, epoch: number) => number;
  /** Images of the inference-mode train evaluation (default 512); null: an old log without it. */
  trainEvalImages?: number | null;
  /** Extra fields of each probe event (dropout ensemble, BN modes) and of each layer probe. */
  probeExtras?: (
    variant: VariantSpec,
    seedIndex: number,
    epoch: number,
  ) => Partial<Pick<EventOf<'probe'>, 'dropoutEnsemble' | 'bnModes'>>;
  layerExtras?: (
    variant: VariantSpec,
    seedIndex: number,
    epoch: number,
    layer: string,
  ) => Partial<LayerProbe>;
}

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

/** Two variants (no BN, BN before the activation) × two seeds × four epochs unless told otherwise. */
export function buildReportData(options: FixtureOptions = {}): ReportData {
  const epochs = options.epochs ?? 4;
  const seeds = options.seeds ?? 2;
  const spec = ExperimentSpec.parse({
    name: options.name ?? 'bn-simple-test',
    description: options.description ?? 'Does batch normalization speed up a simple CNN?',
    dataset: 'mnist',
    seeds,
    training: { epochs, trainSubset: 2000 },
    variants: options.variants ?? [
      { name: 'no-bn' },
      { name: 'bn-before', bn: 'before-activation' },
    ],
  });
  const runs: ReportData['runs'] = [];
  spec.variants.forEach((variant) => {
    for (let s = 0; s < seeds; s++) {
      const id = options.runId?.(variant, s) ?? `run-${variant.name}-${spec.baseSeed + s}`;
      const { status, epochsDone } = options.progress?.(variant, s) ?? {
        status: 'completed',
        epochsDone: epochs,
      };
      const acc = options.valAccuracy ?? defaultAccuracy;
      const events = runEvents(variant, s, epochsDone, status, acc, options);
      runs.push({
        record: runRecord(id, spec, variant, spec.baseSeed + s, status, epochsDone),
        events,
      });
    }
  });
  const experiment: ExperimentRecord = {
    schemaVersion: 1,
    id: `exp-${spec.name}`,
    name: spec.name,
    preset: null,
    scale: 'quick',
    spec,
    backendRequested: 'auto',
    createdAt: new Date(T0).toISOString(),
    runIds: runs.map((r) => r.record.id),
  };
  return { experiment, runs, generatedAt: '2026-11-02T08:30:00.000Z', appVersion: '0.1.0' };
}

function defaultAccuracy(variant: VariantSpec, seedIndex: number, epoch: number): number {
  const ceiling = variant.bn === 'none' ? 0.9 : 0.95;
  const speed = variant.bn === 'none' ? 0.6 : 1.4;
  return ceiling * (1 - Math.exp(-speed * epoch)) - 0.01 * seedIndex;
}

function runEvents(
  variant: VariantSpec,
  seedIndex: number,
  epochsDone: number,
  status: RunStatus,
  valAccuracy: NonNullable<FixtureOptions['valAccuracy']>,
  options: FixtureOptions,
): TrainerEvent[] {
  const layers = options.layers ?? ['conv1', 'conv2', 'dense1'];
  const trainEvalImages = options.trainEvalImages === undefined ? 512 : options.trainEvalImages;
  const probe = (epoch: number): LayerProbe[] =>
    probeLayers(variant, seedIndex, epoch, layers).map((l) => ({
      ...l,
      ...options.layerExtras?.(variant, seedIndex, epoch, l.layer),
    }));
  const events: TrainerEvent[] = [];
  let time = T0 + seedIndex * 1000;
  events.push({
    kind: 'probe',
    time,
    epoch: 0,
    step: 0,
    epochEnd: false,
    layers: probe(0),
    ...options.probeExtras?.(variant, seedIndex, 0),
  });
  for (let epoch = 1; epoch <= epochsDone; epoch++) {
    time += 60_000;
    const val = valAccuracy(variant, seedIndex, epoch);
    const train = Math.min(1, val + 0.01 * epoch);
    events.push({
      kind: 'epoch',
      time,
      epoch,
      trainLoss: 2.3 * Math.exp(-0.5 * epoch) + 0.05,
      trainAccuracy: train,
      ...(trainEvalImages === null
        ? {}
        : {
            trainEvalImages,
            trainRunningLoss: 2.3 * Math.exp(-0.5 * epoch) + 0.15,
            trainRunningAccuracy: Math.max(0, train - 0.03),
          }),
      valLoss:
        options.valLoss?.(variant, seedIndex, epoch) ??
        2.3 * Math.exp(-0.45 * epoch) + 0.08 + 0.01 * seedIndex,
      valAccuracy: val,
      learningRate: 0.01,
      durationMs: 60_000,
      imagesPerSecond: 500,
    });
    events.push({
      kind: 'probe',
      time,
      epoch,
      step: epoch * 32,
      epochEnd: true,
      layers: probe(epoch),
      ...options.probeExtras?.(variant, seedIndex, epoch),
    });
  }
  if (status !== 'running' && status !== 'queued') {
    const terminal: EventOf<'completed'> = {
      kind: 'completed',
      time: time + 1,
      epochsCompleted: epochsDone,
    };
    events.push(
      status === 'completed'
        ? terminal
        : { kind: 'stopped', time: time + 1, epochsCompleted: epochsDone },
    );
  }
  return events;
}

function probeLayers(
  variant: VariantSpec,
  seedIndex: number,
  epoch: number,
  layers: string[],
): LayerProbe[] {
  const rng = seedrandom(`${variant.name}:${seedIndex}:${epoch}`);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return layers.map((layer, index) => {
    const scale = variant.bn === 'none' ? 5 * (index + 1) * (1 + epoch / 2) : 1;
    const shift = variant.bn === 'none' ? -0.3 * scale : 0;
    const pre = Array.from({ length: 2000 }, () => shift + scale * normal());
    const post = pre.map((x) => activate(variant.activation, x));
    const units = index < layers.length - 1 ? 32 : 128;
    const dead =
      variant.activation === 'relu'
        ? Math.round(units * (variant.bn === 'none' ? 0.05 * epoch : 0.01 * epoch))
        : null;
    const saturated =
      variant.activation === 'relu'
        ? null
        : post.filter((y) => saturates(variant.activation, y)).length / post.length;
    return {
      layer,
      type: index < layers.length - 1 ? 'conv' : 'dense',
      activation: variant.activation,
      units,
      pre: histogram(pre),
      post: histogram(post),
      preStats: stats(pre),
      postStats: stats(post),
      deadUnits: dead,
      deadFraction: dead === null ? null : dead / units,
      saturatedFraction: saturated,
    };
  });
}

function activate(activation: Activation, x: number): number {
  if (activation === 'relu') return Math.max(0, x);
  if (activation === 'tanh') return Math.tanh(x);
  return 1 / (1 + Math.exp(-x));
}

function saturates(activation: Activation, y: number): boolean {
  return activation === 'tanh' ? Math.abs(y) > 0.99 : y < 0.01 || y > 0.99;
}

function histogram(values: number[]): Histogram {
  const counts = new Array<number>(SYMLOG_BIN_COUNT).fill(0);
  let underflow = 0;
  let overflow = 0;
  for (const v of values) {
    const bin = symlogBin(v);
    if (bin < 0) underflow++;
    else if (bin >= SYMLOG_BIN_COUNT) overflow++;
    else counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return {
    scheme: 'symlog-v1',
    counts,
    underflow,
    overflow,
    zeros: values.filter((v) => v === 0).length,
    total: values.length,
  };
}

function stats(values: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

function runRecord(
  id: string,
  spec: ExperimentSpec,
  variant: VariantSpec,
  seed: number,
  status: RunStatus,
  epochsDone: number,
): RunRecord {
  return {
    schemaVersion: 1,
    id,
    experimentId: `exp-${spec.name}`,
    experimentName: spec.name,
    variant,
    seed,
    dataset: spec.dataset,
    training: spec.training,
    backendRequested: 'auto',
    status,
    createdAt: new Date(T0).toISOString(),
    startedAt: status === 'queued' ? null : new Date(T0).toISOString(),
    endedAt:
      status === 'completed' || status === 'stopped'
        ? new Date(T0 + epochsDone * 60_000).toISOString()
        : null,
    epochsCompleted: epochsDone,
    bestValAccuracy: null,
    bestEpoch: null,
    lastValAccuracy: null,
    backend: {
      name: 'wasm',
      device: 'cpu',
      package: '@tensorflow/tfjs-backend-wasm',
      version: '4.22.0',
      flags: { simd: true, threads: 1, customKernels: true },
      reason: 'tfjs-node is not installed here; wasm with SIMD is the fastest available.',
    },
    model: null,
    datasetInfo: {
      name: 'mnist',
      inputShape: [28, 28, 1],
      classes: 10,
      trainCount: 2000,
      validationCount: 600,
      testCount: 10000,
    },
    error: null,
    pid: null,
    environment: {
      node: 'v20.19.0',
      platform: 'linux',
      arch: 'x64',
      tfjsVersion: '4.22.0',
      appVersion: '0.1.0',
      hostname: 'lab-host',
    },
  };
}
