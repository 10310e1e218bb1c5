/**
 * Probes (DESIGN §5): the fixed probe batch through the network in inference mode, and for every
 * layer that feeds a nonlinearity its input/output histograms (symlog-v1), mean/std/min/max, dead
 * units (ReLU), and the saturated and linear-region fractions (tanh, sigmoid). probe-run.ts adds
 * what needs labels or other modes (gradient flow, dropout ensemble, BN's two modes).
 *
 * The reductions run on the backend and come back in one transfer. The histograms need every value:
 * only the nonlinearity's input is read back; its output's histogram is derived from it (ReLU:
 * from the input's bins; tanh/sigmoid: recomputed in JS, where a float32 rounding difference can
 * move a value across a bin edge, invisible in ±15 % bins). Binning is a table lookup
 * (fast-binning.ts) that keeps the probe at a few per cent of a quick-scale epoch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../api/config.js';
import { assertNever, type Histogram, type LayerProbe, type Stats } from '../api/events.js';
import { HISTOGRAM_SCHEME, mergeHistograms, SYMLOG_BIN_COUNT } from '../api/histogram.js';
import { binValues } from './fast-binning.js';
import type { ActivationTap, Model } from './models/types.js';

/** Index of the centre bin (−1e-4, 1e-4) in the 257 symlog-v1 bins. */
const CENTRE = (SYMLOG_BIN_COUNT - 1) / 2;
// Per layer: pre mean/variance/min/max, post mean/variance/min/max, saturated and linear counts.
const STATS_PER_LAYER = 10;
/**
 * The linear band of tanh and sigmoid: a pre-activation x is in it when the function's change from
 * its value at 0 stays within 5 % of its tangent's, |f(x) − f(0) − f′(0)·x| ≤ 0.05·|f′(0)·x| —
 * |x| ≤ 0.399 for tanh (f′(0) = 1), |x| ≤ 0.799 for sigmoid (f(0) = ½, f′(0) = ¼; σ(x) − ½ =
 * ½·tanh(x/2)). Measured from the change rather than from |tangent(x)| itself, because sigmoid's
 * tangent 0.5 + x/4 crosses 0 at x = −2, which would make a "relative" band lopsided.
 */
export const LINEAR_BAND = 0.05;
/**
 * Images per forward pass of a probe. Every tapped layer's activations of a chunk are alive at
 * once, and a wasm heap never shrinks: 256 images in one pass grew a simple CNN trainer's heap
 * from ≈217 MB to ≈760 MB; chunks of 64 keep it near the training step's own size.
 */
export const PROBE_CHUNK_IMAGES = 64;

/** One layer's probe so far, combined over chunks (exactly: histograms add, moments merge). */
interface LayerTotals {
  tap: Omit<ActivationTap, 'pre' | 'post'>;
  pre: Histogram;
  post: Histogram;
  preMoments: Moments;
  postMoments: Moments;
  saturated: number;
  linear: number;
  /** ReLU: per unit, the largest output seen (0 everywhere = dead). */
  unitMax: Float32Array | null;
}

export interface Moments {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean (variance × n). */
  m2: number;
  min: number;
  max: number;
}

/**
 * Probes `model` on the probe batch `x`, `chunkImages` images per forward pass; returns one entry
 * per nonlinearity, in network order. The result does not depend on the chunking.
 */
export async function probeModel(
  model: Model,
  x: tf.Tensor4D,
  chunkImages = PROBE_CHUNK_IMAGES,
): Promise<LayerProbe[]> {
  const count = x.shape[0];
  let totals: LayerTotals[] | null = null;
  for (let start = 0; start < count; start += chunkImages) {
    const size = Math.min(chunkImages, count - start);
    const chunk = size === count ? x : tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
    try {
      const part = await probeChunk(model, chunk);
      totals = totals ? totals.map((t, i) => combine(t, part[i]!)) : part;
    } finally {
      if (chunk !== x) chunk.dispose();
    }
  }
  return (totals ?? []).map(toLayerProbe);
}

async function probeChunk(model: Model, x: tf.Tensor4D): Promise<LayerTotals[]> {
  const taps: Omit<ActivationTap, 'pre' | 'post'>[] = [];
  const { stats, pres, unitMaxes } = tf.tidy(() => {
    const live: ActivationTap[] = [];
    model.forward(x, { training: false, taps: live });
    for (const { layer, type, activation, units } of live)
      taps.push({ layer, type, activation, units });
    return {
      stats: tf.concat(live.map((tap) => layerStats(tap))),
      pres: live.map((tap) => tap.pre),
      // A unit is dead when its ReLU output is 0 for every image and position.
      unitMaxes: live.map((tap) =>
        tap.activation === 'relu'
          ? tf.max(
              tap.post,
              tap.post.shape.slice(0, -1).map((_, i) => i),
            )
          : tf.zeros([0]),
      ),
    };
  });
  const owned = [stats, ...pres, ...unitMaxes];
  try {
    const [statValues, ...preValues] = (await Promise.all([
      stats.data(),
      ...pres.map((p) => p.data()),
    ])) as Float32Array[];
    const maxValues = await Promise.all(unitMaxes.map((t) => t.data() as Promise<Float32Array>));
    return taps.map((tap, i) => {
      const s = statValues!.subarray(i * STATS_PER_LAYER, (i + 1) * STATS_PER_LAYER);
      const values = preValues[i]!;
      return {
        tap,
        ...histograms(values, tap.activation),
        preMoments: moments(s, 0, values.length),
        postMoments: moments(s, 4, values.length),
        saturated: s[8]!,
        linear: s[9]!,
        unitMax: tap.activation === 'relu' ? maxValues[i]! : null,
      };
    });
  } finally {
    tf.dispose(owned);
  }
}

/** [pre mean, variance, min, max, post mean, variance, min, max, saturated count, linear count]. */
function layerStats(tap: ActivationTap): tf.Tensor1D {
  const describe = (t: tf.Tensor): tf.Tensor[] => {
    const { mean, variance } = tf.moments(t);
    return [mean, variance, tf.min(t), tf.max(t)];
  };
  const count = (mask: tf.Tensor): tf.Tensor => tf.sum(tf.cast(mask, 'float32'));
  const saturated = count(saturatedMask(tap.post, tap.activation));
  const linear = count(linearMask(tap.pre, tap.post, tap.activation));
  return tf.stack([...describe(tap.pre), ...describe(tap.post), saturated, linear]) as tf.Tensor1D;
}

function moments(s: Float32Array, offset: number, n: number): Moments {
  return { n, mean: s[offset]!, m2: s[offset + 1]! * n, min: s[offset + 2]!, max: s[offset + 3]! };
}

/** Chan et al.'s pairwise update: the moments of the union of two samples. */
function mergeMoments(a: Moments, b: Moments): Moments {
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

function combine(a: LayerTotals, b: LayerTotals): LayerTotals {
  return {
    tap: a.tap,
    pre: mergeHistograms([a.pre, b.pre])!,
    post: mergeHistograms([a.post, b.post])!,
    preMoments: mergeMoments(a.preMoments, b.preMoments),
    postMoments: mergeMoments(a.postMoments, b.postMoments),
    saturated: a.saturated + b.saturated,
    linear: a.linear + b.linear,
    unitMax: a.unitMax && b.unitMax ? a.unitMax.map((v, i) => Math.max(v, b.unitMax![i]!)) : null,
  };
}

function toLayerProbe(t: LayerTotals): LayerProbe {
  const isRelu = t.tap.activation === 'relu';
  const dead = t.unitMax ? t.unitMax.reduce((n, v) => (v === 0 ? n + 1 : n), 0) : 0;
  return {
    layer: t.tap.layer,
    type: t.tap.type,
    activation: t.tap.activation,
    units: t.tap.units,
    pre: t.pre,
    post: t.post,
    preStats: toStats(t.preMoments),
    postStats: toStats(t.postMoments),
    deadUnits: isRelu ? dead : null,
    deadFraction: isRelu ? dead / t.tap.units : null,
    saturatedFraction: isRelu ? null : t.saturated / Math.max(1, t.preMoments.n),
    linearFraction: isRelu ? null : t.linear / Math.max(1, t.preMoments.n),
  };
}

function saturatedMask(post: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.zerosLike(post);
    case 'tanh':
      return tf.greater(tf.abs(post), 0.99);
    case 'sigmoid':
      return tf.logicalOr(tf.less(post, 0.01), tf.greater(post, 0.99));
    default:
      return assertNever(activation);
  }
}

/** Where the nonlinearity is within LINEAR_BAND of its tangent at 0 (all false for ReLU). */
export function linearMask(pre: tf.Tensor, post: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === 'relu') return tf.zerosLike(post);
  const [atZero, slope] = activation === 'tanh' ? [0, 1] : [0.5, 0.25];
  const tangentChange = tf.mul(pre, slope);
  const deviation = tf.abs(tf.sub(tf.sub(post, atZero), tangentChange));
  return tf.lessEqual(deviation, tf.mul(tf.abs(tangentChange), LINEAR_BAND));
}

export function toStats(m: Moments): Stats {
  // Guard the event schema (finite numbers only) against an overflowing pre-activation.
  const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
  return {
    mean: finite(m.mean),
    std: finite(Math.sqrt(Math.max(0, m.m2 / Math.max(1, m.n)))),
    min: finite(m.min),
    max: finite(m.max),
  };
}

/** Pre- and post-activation histograms of one layer from its pre-activation values. */
export function histograms(
  values: Float32Array,
  activation: Activation,
): { pre: Histogram; post: Histogram } {
  const pre = binValues(values);
  const preHistogram = toHistogram(pre.counts, pre.zeros);
  if (activation === 'relu') {
    // ReLU keeps positive values in their bins and sends the rest to 0, the centre bin.
    const post = new Float64Array(pre.counts.length);
    for (let i = CENTRE + 2; i < post.length; i++) post[i] = pre.counts[i]!;
    const kept = post.reduce((a, b) => a + b, 0);
    post[CENTRE + 1] = preHistogram.total - kept;
    return { pre: preHistogram, post: toHistogram(post, pre.nonPositive) };
  }
  const post = binValues(values, activationFn(activation));
  return { pre: preHistogram, post: toHistogram(post.counts, post.zeros) };
}

function activationFn(activation: 'tanh' | 'sigmoid'): (v: number) => number {
  return activation === 'tanh' ? Math.tanh : (v) => 1 / (1 + Math.exp(-v));
}

/** From binValues' layout (underflow, bins…, overflow) to the event's histogram. */
function toHistogram(counts: Float64Array, zeros: number): Histogram {
  const bins = Array.from(counts.subarray(1, SYMLOG_BIN_COUNT + 1));
  const underflow = counts[0]!;
  const overflow = counts[SYMLOG_BIN_COUNT + 1]!;
  const total = bins.reduce((a, b) => a + b, underflow + overflow);
  return { scheme: HISTOGRAM_SCHEME, counts: bins, underflow, overflow, zeros, total };
}
