/**
 * Probes (DESIGN §5): the fixed probe batch through the network in inference mode, and for every
 * layer that feeds a nonlinearity its input/output histograms (symlog-v1), mean/std/min/max, dead
 * units (ReLU) and saturated fraction (tanh, sigmoid).
 *
 * The reductions run on the backend and come back in one transfer. The histograms need every value:
 * only the nonlinearity's input is read back, and its output is recomputed in JS from it (exact for
 * ReLU; for tanh/sigmoid a float32-vs-float64 difference can move a value across a bin edge, which
 * the ±15 % bins make invisible).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../api/config.js';
import { assertNever, type Histogram, type LayerProbe, type Stats } from '../api/events.js';
import { HISTOGRAM_SCHEME, SYMLOG_BIN_COUNT, symlogBin } from '../api/histogram.js';
import type { ActivationTap, Model } from './models/types.js';

// Per layer: pre mean/std/min/max, post mean/std/min/max, dead units, saturated count.
const STATS_PER_LAYER = 10;

/** Probes `model` on the probe batch `x`; returns one entry per nonlinearity, in network order. */
export async function probeModel(model: Model, x: tf.Tensor4D): Promise<LayerProbe[]> {
  const taps: Omit<ActivationTap, 'pre' | 'post'>[] = [];
  const { stats, pres } = tf.tidy(() => {
    const live: ActivationTap[] = [];
    model.forward(x, { training: false, taps: live });
    const rows = live.map((tap) => layerStats(tap));
    for (const { layer, type, activation, units } of live) taps.push({ layer, type, activation, units });
    return { stats: tf.concat(rows), pres: live.map((tap) => tap.pre) };
  });
  try {
    const [statValues, ...preValues] = await Promise.all([stats.data(), ...pres.map((p) => p.data())]);
    return taps.map((tap, i) => {
      const s = (statValues as Float32Array).subarray(i * STATS_PER_LAYER, (i + 1) * STATS_PER_LAYER);
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
  const dead = tap.activation === 'relu' ? tf.sum(tf.cast(tf.equal(tf.max(tap.post, unitAxes), 0), 'float32')) : tf.scalar(0);
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
  return { mean: finite(s[offset]), std: finite(s[offset + 1]), min: finite(s[offset + 2]), max: finite(s[offset + 3]) };
}

/** Pre- and post-activation histograms of one layer from its pre-activation values. */
export function histograms(values: Float32Array, activation: Activation): { pre: Histogram; post: Histogram } {
  const pre = emptyHistogram();
  const post = emptyHistogram();
  const f = activationFn(activation);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    addValue(pre, v);
    addValue(post, f(v));
  }
  return { pre, post };
}

function activationFn(activation: Activation): (v: number) => number {
  switch (activation) {
    case 'relu':
      return (v) => (v > 0 ? v : 0);
    case 'tanh':
      return Math.tanh;
    case 'sigmoid':
      return (v) => 1 / (1 + Math.exp(-v));
    default:
      return assertNever(activation);
  }
}

function emptyHistogram(): Histogram {
  return {
    scheme: HISTOGRAM_SCHEME,
    counts: new Array<number>(SYMLOG_BIN_COUNT).fill(0),
    underflow: 0,
    overflow: 0,
    zeros: 0,
    total: 0,
  };
}

function addValue(h: Histogram, v: number): void {
  // NaN has no bin; it is left out of the total as well.
  if (Number.isNaN(v)) return;
  h.total++;
  if (v === 0) h.zeros++;
  const bin = symlogBin(v);
  if (bin < 0) h.underflow++;
  else if (bin >= SYMLOG_BIN_COUNT) h.overflow++;
  else h.counts[bin]!++;
}
