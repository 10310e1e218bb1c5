/**
 * The seed presentation's plain CNNs.
 * simple-cnn: conv32-conv32-pool-conv64-conv64-pool-dense512-dense(classes);
 * deeper-cnn: the same with four convs per block. 3×3 'same' convs, 2×2 max pools.
 * Each conv/dense hidden layer is `weight layer → [BN] → act → [BN]` per the BN placement; a
 * layer followed directly by BN has no bias (BN's β replaces it). `convDropout` follows each pool,
 * `dropout` follows dense512.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { VariantSpec } from '../../api/config.js';
import { conv, dense, dropout, maxPool, normAct } from './ops.js';
import { type BnParams, type ConvParams, type DenseParams, ParamStore, scaled } from './params.js';
import type { ForwardOptions, InputSpec } from './types.js';

type Forward = (x: tf.Tensor4D, opts: ForwardOptions) => tf.Tensor2D;

/** The network and its last part (see `Model.head`). */
export interface Network {
  forward: Forward;
  head: (features: tf.Tensor2D, opts: ForwardOptions) => tf.Tensor2D;
}

/** Lays out a plain CNN's parameters and summary rows; returns its forward and head functions. */
export function buildPlainCnn(store: ParamStore, variant: VariantSpec, input: InputSpec): Network {
  const convsPerBlock = variant.architecture === 'deeper-cnn' ? 4 : 2;
  const blocks = [32, 64].map((f) => scaled(f, variant.width));
  const hidden = scaled(512, variant.width);
  const { bn: placement, activation } = variant;
  const withBn = placement !== 'none';
  const bias = placement !== 'before-activation';
  const bnParams = (name: string, c: number, shape: number[]): BnParams | null => {
    if (!withBn) return null;
    const p = store.batchNorm(`${name}.bn`, c, variant.bnMomentum, variant.bnEpsilon);
    store.record(`${name}.bn`, 'batchnorm', shape, 2 * c);
    return p;
  };

  let h = input.height;
  let w = input.width;
  let c = input.channels;
  const convs: { p: ConvParams; bn: BnParams | null; units: number }[][] = [];
  let index = 0;
  blocks.forEach((filters, b) => {
    const block: { p: ConvParams; bn: BnParams | null; units: number }[] = [];
    for (let i = 0; i < convsPerBlock; i++) {
      const name = `conv${++index}`;
      const p = store.conv(name, 3, c, filters, 1, bias, activation);
      const params = 9 * c * filters + (bias ? filters : 0);
      const shape = [h, w, filters];
      store.record(name, 'conv', shape, params, h * w * 9 * c * filters);
      const bnBefore = placement === 'before-activation' ? bnParams(name, filters, shape) : null;
      store.record(`${name}.${activation}`, 'activation', shape, 0);
      const bnAfter = placement === 'after-activation' ? bnParams(name, filters, shape) : null;
      block.push({ p, bn: bnBefore ?? bnAfter, units: filters });
      c = filters;
    }
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
    store.record(`pool${b + 1}`, 'maxpool', [h, w, c], 0);
    if (variant.convDropout > 0) store.record(`pool${b + 1}.dropout`, 'dropout', [h, w, c], 0);
    convs.push(block);
  });
  if (h < 1 || w < 1) {
    throw new Error(
      `input ${input.height}×${input.width} is too small for ${variant.architecture} (two 2×2 pools)`,
    );
  }
  const flat = h * w * c;
  store.record('flatten', 'flatten', [flat], 0);
  const denseName = 'dense1';
  const d1: DenseParams = store.dense(denseName, flat, hidden, bias, activation);
  store.record(denseName, 'dense', [hidden], flat * hidden + (bias ? hidden : 0), flat * hidden);
  const d1BnBefore =
    placement === 'before-activation' ? bnParams(denseName, hidden, [hidden]) : null;
  store.record(`${denseName}.${activation}`, 'activation', [hidden], 0);
  const d1BnAfter = placement === 'after-activation' ? bnParams(denseName, hidden, [hidden]) : null;
  if (variant.dropout > 0) store.record(`${denseName}.dropout`, 'dropout', [hidden], 0);
  const out = store.dense('logits', hidden, input.classes, true, 'linear');
  store.record(
    'logits',
    'dense',
    [input.classes],
    hidden * input.classes + input.classes,
    hidden * input.classes,
  );

  const head = (features: tf.Tensor2D, opts: ForwardOptions): tf.Tensor2D =>
    dense(dropout(features, variant.dropout, `${denseName}.dropout`, opts), out);
  const forward: Forward = (x, opts) => {
    let y: tf.Tensor4D = x;
    convs.forEach((block, b) => {
      for (const layer of block) {
        y = normAct(
          conv(y, layer.p),
          { name: layer.p.name, type: 'conv', units: layer.units, bn: layer.bn },
          placement,
          activation,
          opts,
        );
      }
      y = dropout(maxPool(y), variant.convDropout, `pool${b + 1}.dropout`, opts);
    });
    const flatY = tf.reshape<tf.Rank.R2>(y, [-1, flat]);
    const hiddenY = normAct(
      dense(flatY, d1),
      { name: denseName, type: 'dense', units: hidden, bn: d1BnBefore ?? d1BnAfter },
      placement,
      activation,
      opts,
    );
    opts.onFeatures?.(hiddenY);
    return head(hiddenY, opts);
  };
  return { forward, head };
}
