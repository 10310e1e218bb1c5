/**
 * A whole probe of a run: the activation probes (probes.ts) plus the seed's mechanisms, which need
 * the probe batch's labels or another mode of the network —
 *
 * - BN's learned γ and β per layer (mean/std/min/max of the BN layer next to the nonlinearity);
 * - gradient flow: the loss gradient on the probe batch w.r.t. each layer's kernel, with BN on the
 *   chunk's batch statistics (as in training, without moving the moving ones) and dropout off —
 *   its L2 norm and the fraction of units (output channels / neurons) whose kernel gradient is
 *   exactly zero;
 * - dropout as an ensemble: accuracy of the weight-scaled network (standard inference) and of the
 *   mean softmax of the first k of 64 seeded thinned networks, k = 1, 2, 4 … 64;
 * - BN's two modes: accuracy with the moving statistics and with each chunk's batch statistics.
 *
 * Everything runs in chunks of PROBE_CHUNK_IMAGES images (the default training batch size, so the
 * batch statistics are those of a training-sized batch) and every tensor is disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import type { VariantSpec } from '../api/config.js';
import type { BnModes, DropoutEnsemble, LayerProbe, Stats } from '../api/events.js';
import { deriveSeed } from './models/seeds.js';
import type { Model, NamedVariable } from './models/types.js';
import { PROBE_CHUNK_IMAGES, probeModel } from './probes.js';

/** Ensemble sizes reported: 1, 2, 4 … 64 (the thinned networks are nested: k = 2 adds one to k = 1). */
export const ENSEMBLE_SAMPLES = [1, 2, 4, 8, 16, 32, 64] as const;

export interface ProbeRunResult {
  layers: LayerProbe[];
  dropoutEnsemble: DropoutEnsemble | null;
  bnModes: BnModes | null;
}

export interface ProbeRunOptions {
  /** The run seed and global step: thinned network i draws its masks from (seed, step, i). */
  seed: number;
  step: number;
  chunkImages?: number;
  samples?: readonly number[];
}

export async function probeRun(
  model: Model,
  variant: VariantSpec,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: ProbeRunOptions,
): Promise<ProbeRunResult> {
  const chunkImages = options.chunkImages ?? PROBE_CHUNK_IMAGES;
  const samples = options.samples ?? ENSEMBLE_SAMPLES;
  const layers = await probeModel(model, x, chunkImages);
  const withBn = variant.bn !== 'none';
  const withDropout = variant.dropout > 0 || variant.convDropout > 0;
  const flow = await gradientFlow(model, layers, x, labels, withBn, chunkImages);
  const seeds = Array.from({ length: Math.max(0, ...samples) }, (_, i) =>
    deriveSeed(options.seed, 'mc-dropout', options.step, i),
  );
  const counts = await countCorrect(model, x, labels, {
    chunkImages,
    samples: withDropout ? samples : [],
    seeds: withDropout ? seeds : [],
    // Conv dropout thins the features themselves, so each thinned network needs a whole pass.
    wholePasses: variant.convDropout > 0,
    withBn,
  });
  const n = x.shape[0];
  return {
    layers: layers.map((layer, i) => ({
      ...layer,
      bnGamma: bnStats(model, layer.layer, 'gamma'),
      bnBeta: bnStats(model, layer.layer, 'beta'),
      gradNorm: flow[i]?.norm ?? null,
      zeroGradFraction: flow[i]?.zeroFraction ?? null,
    })),
    dropoutEnsemble: withDropout
      ? {
          weightScaledAccuracy: counts.inference / n,
          samples: [...samples],
          thinnedAccuracy: counts.thinned.map((c) => c / n),
        }
      : null,
    bnModes: withBn
      ? { movingStatsAccuracy: counts.inference / n, batchStatsAccuracy: counts.batchStats / n }
      : null,
  };
}

/** mean/std/min/max of the `${layer}.bn` γ or β; null when the layer has no BN. */
function bnStats(model: Model, layer: string, which: 'gamma' | 'beta'): Stats | null {
  const found = model.trainable.find((v) => v.name === `${layer}.bn/${which}`);
  if (!found) return null;
  const values = Array.from(found.variable.dataSync());
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return {
    mean,
    std: Math.sqrt(variance),
    min: values.reduce((a, b) => Math.min(a, b), Infinity),
    max: values.reduce((a, b) => Math.max(a, b), -Infinity),
  };
}

/**
 * Per probed layer (by index), the norm of the mean-loss gradient w.r.t. its kernel over the whole
 * probe batch and the fraction of output units whose gradient slice is exactly zero.
 */
async function gradientFlow(
  model: Model,
  layers: readonly LayerProbe[],
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  withBn: boolean,
  chunkImages: number,
): Promise<({ norm: number; zeroFraction: number } | null)[]> {
  const kernels = layers.map((l) => model.trainable.find((v) => v.name === `${l.layer}/kernel`));
  const present = kernels.filter((k): k is NamedVariable => k !== undefined);
  if (present.length === 0) return layers.map(() => null);
  const n = x.shape[0];
  const classes = model.summary.layers.at(-1)?.outputShape[0] ?? 0;
  let sums: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += chunkImages) {
      const size = Math.min(chunkImages, n - start);
      const part = tf.tidy(() => {
        const xs = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
        const ys = tf.slice(labels, [start], [size]);
        const { value, grads } = tf.variableGrads(
          () =>
            tf.div<tf.Scalar>(
              tf.losses.softmaxCrossEntropy(
                tf.oneHot(ys, classes),
                model.forward(xs, { training: false, bnBatchStatistics: withBn }),
                undefined,
                undefined,
                tf.Reduction.SUM,
              ),
              n,
            ),
          present.map((k) => k.variable),
        );
        value.dispose();
        return present.map((k) => grads[k.variable.name]!);
      });
      const previous = sums;
      sums = previous.length > 0 ? previous.map((s, i) => tf.add(s, part[i]!)) : part;
      if (previous.length > 0) tf.dispose([...previous, ...part]);
    }
    const totals = sums;
    const summary = tf.tidy(() =>
      tf.stack(
        totals.flatMap((g) => {
          const units = g.shape.at(-1) ?? 1;
          const unitMax = tf.max(
            tf.abs(g),
            g.shape.slice(0, -1).map((_, i) => i),
          );
          const zero = tf.div(tf.sum(tf.cast(tf.equal(unitMax, 0), 'float32')), units);
          return [tf.norm(g), zero];
        }),
      ),
    );
    const values = await summary.data();
    summary.dispose();
    let next = 0;
    return kernels.map((k) => {
      if (!k) return null;
      const i = next++;
      return { norm: values[2 * i]!, zeroFraction: values[2 * i + 1]! };
    });
  } finally {
    tf.dispose(sums);
  }
}

interface Counts {
  /** Right answers in inference mode (moving statistics, weight-scaled dropout). */
  inference: number;
  /** Of the mean softmax of the first k thinned networks, per entry of `samples`. */
  thinned: number[];
  /** With BN on each chunk's batch statistics (dropout off); 0 without BN. */
  batchStats: number;
}

async function countCorrect(
  model: Model,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  o: {
    chunkImages: number;
    samples: readonly number[];
    seeds: readonly number[];
    wholePasses: boolean;
    withBn: boolean;
  },
): Promise<Counts> {
  const totals: Counts = { inference: 0, thinned: o.samples.map(() => 0), batchStats: 0 };
  const n = x.shape[0];
  for (let start = 0; start < n; start += o.chunkImages) {
    const size = Math.min(o.chunkImages, n - start);
    const counts = tf.tidy(() => {
      const xs = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
      const ys = tf.cast(tf.slice(labels, [start], [size]), 'int32');
      const right = (logitsOrProbs: tf.Tensor2D): tf.Tensor =>
        tf.sum(tf.cast(tf.equal(tf.argMax(logitsOrProbs, 1), ys), 'float32'));
      const captured: { features?: tf.Tensor2D } = {};
      const logits = model.forward(xs, {
        training: false,
        onFeatures: (f) => (captured.features = f),
      });
      const { features } = captured;
      const out = [right(logits)];
      let probSum: tf.Tensor2D | null = null;
      o.seeds.forEach((dropoutSeed, i) => {
        const opts = { training: false, thinned: true, dropoutSeed };
        const thinned =
          o.wholePasses || !features ? model.forward(xs, opts) : model.head(features, opts);
        const probs = tf.softmax(thinned);
        probSum = probSum ? tf.add<tf.Tensor2D>(probSum, probs) : probs;
        if (o.samples.includes(i + 1)) out.push(right(probSum));
      });
      out.push(
        o.withBn
          ? right(model.forward(xs, { training: false, bnBatchStatistics: true }))
          : right(logits),
      );
      return tf.stack(out);
    });
    const values = await counts.data();
    counts.dispose();
    totals.inference += values[0]!;
    o.samples.forEach((_, j) => (totals.thinned[j]! += values[1 + j]!));
    totals.batchStats += values[1 + o.samples.length]!;
  }
  return totals;
}
