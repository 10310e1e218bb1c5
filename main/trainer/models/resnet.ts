/**
 * ResNet-20 for CIFAR (He et al. 2016, §4.2): a 3×3 conv of 16, then 3 stages × 3 basic blocks of
 * 16/32/64 filters (the first block of stages 2 and 3 strides by 2), global average pooling and
 * the classifier. Shortcut: option A — identity, subsampled by 2 and zero-padded in channels where
 * the shape changes — so the shortcut adds no parameters (≈0.27 M at width 1).
 * BN: `none` or `before-activation` (conv → BN → act, the paper's placement). `after-activation`
 * is refused: in a residual block it would also move BN across the addition, which is a
 * different network, not a placement choice.
 * `convDropout` follows each stage; `dropout` sits before the classifier.
 *
 * Without BN, He init makes each block roughly double the signal's variance (identity plus a
 * branch of equal variance), 2⁹ over the nine blocks, and the network stays at chance at the quick
 * recipe in every seed. So the no-BN variant rescales each residual branch as Fixup does (Zhang,
 * Dauphin & Ma 2019, "Fixup Initialization: Residual Learning Without Normalization"): both convs
 * of a branch get He init × L^(−1/(2m−2)) = 9^(−1/2) = 1/3 (L = 9 branches of m = 2 convs), so a
 * block adds about 1/81 of its input's variance instead of doubling it. Fixup's zero init of the
 * branch's last conv is left out on purpose: with option-A shortcuts the zero-padded channels would
 * then reach the ReLU as exact zeros, get no gradient, and stay dead for good (half of stage 2's
 * and three quarters of stage 3's channels). Fixup's scalar multipliers and biases are left out too.
 * The BN variant keeps the paper's He init.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { VariantSpec } from '../../api/config.js';
import { activate, batchNorm, conv, dense, dropout, normAct } from './ops.js';
import { type BnParams, type ConvParams, ParamStore, scaled } from './params.js';
import type { ForwardOptions, InputSpec } from './types.js';

type Forward = (x: tf.Tensor4D, opts: ForwardOptions) => tf.Tensor2D;

/** The network and its last part (see `Model.head`). */
export interface Network {
  forward: Forward;
  head: (features: tf.Tensor2D, opts: ForwardOptions) => tf.Tensor2D;
}

interface Block {
  name: string;
  conv1: ConvParams;
  bn1: BnParams | null;
  conv2: ConvParams;
  bn2: BnParams | null;
  inC: number;
  outC: number;
  stride: number;
}

/** Fixup's scale for a residual branch's convs: L^(−1/(2m−2)), L = 9 branches of m = 2 convs. */
const FIXUP_SCALE = 9 ** (-1 / (2 * 2 - 2));

export const RESNET_FIXUP_NOTE =
  'no BN: residual branches rescaled as in Fixup (both convs He × 1/3; no zero init, see resnet.ts)';

export const RESNET_SHORTCUT_NOTE =
  'shortcut: option A (identity, stride-2 subsampling and zero-padded channels; no parameters)';

/** Lays out ResNet-20's parameters and summary rows; returns its forward and head functions. */
export function buildResnet20(store: ParamStore, variant: VariantSpec, input: InputSpec): Network {
  if (variant.bn === 'after-activation') {
    throw new Error(
      `variant "${variant.name}": resnet20 supports bn "none" or "before-activation", not "after-activation"`,
    );
  }
  const withBn = variant.bn === 'before-activation';
  const { activation } = variant;
  let h = input.height;
  let w = input.width;

  const convLayer = (
    name: string,
    inC: number,
    outC: number,
    stride: number,
    initScale = 1,
  ): { p: ConvParams; bn: BnParams | null } => {
    const p = store.conv(name, 3, inC, outC, stride, !withBn, activation, initScale);
    h = Math.ceil(h / stride);
    w = Math.ceil(w / stride);
    const shape = [h, w, outC];
    store.record(name, 'conv', shape, 9 * inC * outC + (withBn ? 0 : outC), h * w * 9 * inC * outC);
    let bn: BnParams | null = null;
    if (withBn) {
      bn = store.batchNorm(`${name}.bn`, outC, variant.bnMomentum, variant.bnEpsilon);
      store.record(`${name}.bn`, 'batchnorm', shape, 2 * outC);
    }
    return { p, bn };
  };

  const stemC = scaled(16, variant.width);
  const stem = convLayer('conv1', input.channels, stemC, 1);
  store.record(`conv1.${activation}`, 'activation', [h, w, stemC], 0);

  const stages: Block[][] = [];
  let c = stemC;
  [16, 32, 64].forEach((base, s) => {
    const outC = scaled(base, variant.width);
    const blocks: Block[] = [];
    for (let b = 0; b < 3; b++) {
      const name = `s${s + 1}b${b + 1}`;
      const stride = s > 0 && b === 0 ? 2 : 1;
      const first = convLayer(`${name}.conv1`, c, outC, stride, withBn ? 1 : FIXUP_SCALE);
      store.record(`${name}.conv1.${activation}`, 'activation', [h, w, outC], 0);
      const second = convLayer(`${name}.conv2`, outC, outC, 1, withBn ? 1 : FIXUP_SCALE);
      store.record(`${name}.add`, 'add', [h, w, outC], 0);
      store.record(`${name}.${activation}`, 'activation', [h, w, outC], 0);
      blocks.push({
        name,
        conv1: first.p,
        bn1: first.bn,
        conv2: second.p,
        bn2: second.bn,
        inC: c,
        outC,
        stride,
      });
      c = outC;
    }
    if (variant.convDropout > 0) store.record(`s${s + 1}.dropout`, 'dropout', [h, w, c], 0);
    stages.push(blocks);
  });
  store.record('gap', 'gap', [c], 0);
  if (variant.dropout > 0) store.record('gap.dropout', 'dropout', [c], 0);
  const out = store.dense('logits', c, input.classes, true, 'linear');
  store.record(
    'logits',
    'dense',
    [input.classes],
    c * input.classes + input.classes,
    c * input.classes,
  );

  const placement = variant.bn;
  const head = (features: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D =>
    dense(dropout(features, variant.dropout, 'gap.dropout', opts), out);
  const forward = (x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor2D => {
    let y = normAct(
      conv(x, stem.p),
      { name: 'conv1', type: 'conv', units: stemC, bn: stem.bn },
      placement,
      activation,
      opts,
    );
    stages.forEach((blocks, s) => {
      for (const block of blocks) y = residualBlock(y, block, variant, opts);
      y = dropout(y, variant.convDropout, `s${s + 1}.dropout`, opts);
    });
    const pooled = tf.mean<tf.Tensor2D>(y, [1, 2]);
    opts.onFeatures?.(pooled);
    return head(pooled, opts);
  };
  return { forward, head };
}

function residualBlock(
  x: tf.Tensor4D,
  block: Block,
  variant: VariantSpec,
  opts: ForwardOptions,
): tf.Tensor4D {
  const { activation, bn: placement } = variant;
  const mid = normAct(
    conv(x, block.conv1),
    { name: `${block.name}.conv1`, type: 'conv', units: block.outC, bn: block.bn1 },
    placement,
    activation,
    opts,
  );
  const second = conv(mid, block.conv2);
  const residual = block.bn2 ? batchNorm(second, block.bn2, opts) : second;
  const pre = tf.add<tf.Tensor4D>(residual, shortcut(x, block));
  const post = activate(pre, activation);
  // Probed under the name of the conv whose output (plus the shortcut) feeds this nonlinearity.
  opts.taps?.push({
    layer: `${block.name}.conv2`,
    type: 'conv',
    activation,
    units: block.outC,
    pre,
    post,
  });
  return post;
}

/** Option A: identity; where the block strides, take every second pixel and zero-pad channels. */
function shortcut(x: tf.Tensor4D, block: Block): tf.Tensor4D {
  let y = x;
  // A 1×1 average pool with stride 2 picks x[:, ::2, ::2, :] (same size as the 'same' conv's output).
  if (block.stride > 1) y = tf.avgPool<tf.Tensor4D>(y, 1, block.stride, 'valid');
  const extra = block.outC - block.inC;
  if (extra > 0) {
    const lo = Math.floor(extra / 2);
    y = tf.pad<tf.Tensor4D>(y, [
      [0, 0],
      [0, 0],
      [0, 0],
      [lo, extra - lo],
    ]);
  }
  return y;
}
