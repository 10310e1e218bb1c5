/**
 * Probes (DESIGN §5): the fixed probe batch through the network in inference mode, and for every
 * layer that feeds a nonlinearity its input/output histograms (symlog-v1), mean/std/min/max, dead
 * units (ReLU) and saturated fraction (tanh, sigmoid).
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
import { HISTOGRAM_SCHEME, SYMLOG_BIN_COUNT } from '../api/histogram.js';
import { binValues } from './fast-binning.js';
import type { ActivationTap, Model } from './models/types.js';

/** Index of the centre bin (−1e-4, 1e-4) in the 257 symlog-v1 bins. */
const CENTRE = (SYMLOG_BIN_COUNT - 1) / 2;
// Per layer: pre mean/std/min/max, post mean/std/min/max, dead units, saturated count.
const STATS_PER_LAYER = 10;

/** Probes `model` on the probe batch `x`; returns one entry per nonlinearity, in network order. */
export async function probeModel(model: Model, x: tf.Tensor4D): Promise<LayerProbe[]> {
  const taps: Omit<ActivationTap, 'pre' | 'post'>[] = [];
  const { stats, pres } = tf.tidy(() => {
    const live: ActivationTap[] = [];
    model.forward(x, { training: false, taps: live });
    const rows = live.map((tap) => layerStats(tap));
    for (const { layer, type, activation, units } of live)
      taps.push({ layer, type, activation, units });
    return { stats: tf.concat(rows), pres: live.map((tap) => tap.pre) };
  });
  try {
    const [statValues, ...preValues] = await Promise.all([
      stats.data(),
      ...pres.map((p) => p.data()),
    ]);
    return taps.map((tap, i) => {
      const s = (statValues as Float32Array).subarray(
        i * STATS_PER_LAYER,
        (i + 1) * STATS_PER_LAYER,
      );
      const values = preValues[i] as Float32Array;
      const isRelu = tap.activation === 'relu';
      return {
        layer: tap.layer,
        type: tap.type,
        activation: tap.activation,
        units: tap.units,
        ...histograms(values, tap.activation),
        preStats: toStats(s, 0),
        postStats: toStats(s, 4),
        deadUnits: isRelu ? s[8]! : null,
        deadFraction: isRelu ? s[8]! / tap.units : null,
        saturatedFraction: isRelu ? null : s[9]! / Math.max(1, values.length),
      };
    });
  } finally {
    tf.dispose([stats, ...pres]);
  }
}

/** [preMean, preStd, preMin, preMax, postMean, postStd, postMin, postMax, dead, saturated]. */
function layerStats(tap: ActivationTap): tf.Tensor1D {
  const describe = (t: tf.Tensor): tf.Tensor[] => {
    const { mean, variance } = tf.moments(t);
    return [mean, tf.sqrt(variance), tf.min(t), tf.max(t)];
  };
  // A unit is dead when its ReLU output is 0 for every image and position: max over all but the last axis.
  const unitAxes = tap.post.shape.slice(0, -1).map((_, i) => i);
  const dead =
    tap.activation === 'relu'
      ? tf.sum(tf.cast(tf.equal(tf.max(tap.post, unitAxes), 0), 'float32'))
      : tf.scalar(0);
  const saturated = tf.sum(tf.cast(saturatedMask(tap.post, tap.activation), 'float32'));
  return tf.stack([...describe(tap.pre), ...describe(tap.post), dead, saturated]) as tf.Tensor1D;
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

function toStats(s: Float32Array, offset: number): Stats {
  // Guard the event schema (finite numbers only) against an overflowing pre-activation.
  const finite = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : 0);
  return {
    mean: finite(s[offset]),
    std: finite(s[offset + 1]),
    min: finite(s[offset + 2]),
    max: finite(s[offset + 3]),
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
