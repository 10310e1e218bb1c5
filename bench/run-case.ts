/**
 * One benchmark case: a model variant trained for a few steps on synthetic CIFAR-shaped data on
 * one backend, plus the probe pass timed on the default probe batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  TrainingSpec,
  VariantSpec,
  type Architecture,
  type VariantInput,
} from '../main/api/config.js';
import { wasmKernelBuild, type KernelBuild } from '../main/trainer/backends/wasm/index.js';
import { buildModel } from '../main/trainer/models/index.js';
import { probeRun } from '../main/trainer/probe-run.js';
import { createTrainer } from '../main/trainer/train-step.js';

export interface BenchRow {
  model: Architecture;
  bn: VariantSpec['bn'];
  /** The variant's name (a preset's, or `bench`). */
  variant: string;
  backend: string;
  batchSize: number;
  imagesPerSecond: number;
  msPerStep: number;
  gflops: number;
  rssMb: number;
  probeOverhead: number;
  /** wasm: which build of the project's SIMD kernels ran ('relaxed' has fused multiply-add). */
  kernels?: KernelBuild;
}

export interface CaseOptions {
  model: Architecture;
  bn: boolean;
  backend: string;
  steps: number;
  warmupSteps: number;
  batchSize: number;
  seed: number;
  /** A whole variant (e.g. a preset's); overrides `model` and `bn`. */
  variant?: VariantInput;
}

const INPUT = { height: 32, width: 32, channels: 3, classes: 10 };
/** CIFAR-10's 50 000 training images less the default 10 % validation split. */
const TRAIN_IMAGES = 45_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/** Seeded images in [0,1) and labels, made on the current backend. */
function syntheticBatch(n: number, seed: number): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => ({
    x: tf.randomUniform<tf.Rank.R4>(
      [n, INPUT.height, INPUT.width, INPUT.channels],
      0,
      1,
      'float32',
      seed,
    ),
    labels: tf.cast<tf.Tensor1D>(
      tf.floor(tf.randomUniform<tf.Rank.R1>([n], 0, INPUT.classes, 'float32', seed + 1)),
      'int32',
    ),
  }));
}

/**
 * Runs one case. Step time is the median over `steps` timed steps (after `warmupSteps`), each
 * awaited to completion; RSS is the process's peak resident set (run each case in a fresh process).
 * Probe overhead = (stepsPerEpoch·step + probe) / (stepsPerEpoch·step), with the default probe
 * settings (one probe of `probeImages` per epoch) and CIFAR-10's steps per epoch at this batch size.
 * Throws if the tensor count after the case differs from before it (a leak).
 */
export async function runCase(o: CaseOptions): Promise<BenchRow> {
  await tf.setBackend(o.backend);
  await tf.ready();
  const tensorsBefore = tf.memory().numTensors;
  const variant = VariantSpec.parse(
    o.variant ?? {
      name: 'bench',
      architecture: o.model,
      bn: o.bn ? 'before-activation' : 'none',
    },
  );
  const training = TrainingSpec.parse({ batchSize: o.batchSize });
  const model = buildModel(variant, INPUT, o.seed);
  const trainer = createTrainer(model, training, o.seed);
  const { x, labels } = syntheticBatch(o.batchSize, o.seed);
  const probe = syntheticBatch(training.probeImages, o.seed + 100);
  const stepMs: number[] = [];
  const probeMs: number[] = [];
  try {
    for (let i = 0; i < o.warmupSteps + o.steps; i++) {
      const t0 = performance.now();
      const { loss } = await trainer.step(x, labels, i);
      const dt = performance.now() - t0;
      if (!Number.isFinite(loss))
        throw new Error(`${variant.architecture} on ${o.backend}: loss is ${loss} at step ${i}`);
      if (i >= o.warmupSteps) stepMs.push(dt);
    }
    // The whole probe (activations, gradient flow, MC dropout, BN modes) is timed three times
    // (median), once on cpu where a probe takes minutes.
    for (let i = 0; i < (o.backend === 'cpu' ? 1 : 3); i++) {
      const t0 = performance.now();
      await probeRun(model, variant, probe.x, probe.labels, { seed: o.seed, step: i });
      probeMs.push(performance.now() - t0);
    }
  } finally {
    trainer.dispose();
    model.dispose();
    tf.dispose([x, labels, probe.x, probe.labels]);
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) {
    throw new Error(
      `tensor leak: ${leaked} tensor(s) left after benchmarking ${variant.architecture} (bn ${variant.bn}) on ${o.backend}`,
    );
  }
  const ms = median(stepMs);
  const imagesPerSecond = (o.batchSize * 1000) / ms;
  const epochMs = Math.ceil(TRAIN_IMAGES / o.batchSize) * ms;
  return {
    model: variant.architecture,
    bn: variant.bn,
    variant: variant.name,
    backend: o.backend,
    batchSize: o.batchSize,
    imagesPerSecond,
    msPerStep: ms,
    // Forward + backward ≈ 3× the forward FLOPs.
    gflops: (3 * model.summary.flopsPerImage * imagesPerSecond) / 1e9,
    // The process's peak resident set (maxRSS is in KiB); the bench runs each case in its own process.
    rssMb: process.resourceUsage().maxRSS / 1024,
    probeOverhead: (epochMs + median(probeMs)) / epochMs,
    ...(o.backend === 'wasm' ? { kernels: wasmKernelBuild() } : {}),
  };
}
