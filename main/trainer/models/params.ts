/**
 * Creates a model's variables with seeded initialisers and records the layer table of the summary
 * as the architecture is laid out.
 *
 * Initialisers (one documented choice): He normal, σ = √(2 / fan_in), for kernels followed by ReLU;
 * Glorot uniform, limit √(6 / (fan_in + fan_out)), for kernels followed by tanh and for the
 * classifier; for sigmoid 4 × that limit (Glorot & Bengio 2010: sigmoid's slope at 0 is ¼ of
 * tanh's, so the same limit shrinks the signal 4× per layer and a 5-layer sigmoid CNN stays at
 * chance). A kernel may be given a scale (ResNet-20 without BN: see resnet.ts). Biases and BN β start at 0, BN γ at 1, moving mean 0, moving variance 1.
 * Each kernel's seed is deriveSeed(run seed, layer name), so equal names and shapes give equal
 * weights across the variants of an experiment.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../api/config.js';
import type { ModelSummary } from '../../api/events.js';
import { deriveSeed } from './seeds.js';
import type { NamedVariable } from './types.js';

type LayerType = ModelSummary['layers'][number]['type'];

export interface ConvParams {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly stride: number;
}
export interface DenseParams {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
}
export interface BnParams {
  readonly name: string;
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
  readonly momentum: number;
  readonly epsilon: number;
}

/** Which initialiser a kernel gets: from the activation that follows it, or `linear`. */
export type InitFor = Activation | 'linear';

// tfjs variable names are global to the engine; a per-model prefix lets many models coexist.
let modelCounter = 0;

/** Variables and the layer table of one model under construction. */
export class ParamStore {
  readonly trainable: NamedVariable[] = [];
  readonly moving: NamedVariable[] = [];
  readonly layers: ModelSummary['layers'] = [];
  macs = 0;
  private readonly prefix = `bnlab-model-${++modelCounter}`;

  constructor(private readonly seed: number) {}

  /** A 3×3 (or k×k) conv kernel [k, k, in, out] and optional bias. */
  conv(
    name: string,
    k: number,
    inC: number,
    outC: number,
    stride: number,
    bias: boolean,
    init: InitFor,
    scale = 1,
  ): ConvParams {
    const fanIn = k * k * inC;
    const fanOut = k * k * outC;
    const kernel = this.add(
      `${name}/kernel`,
      initKernel([k, k, inC, outC], fanIn, fanOut, init, deriveSeed(this.seed, name), scale),
      true,
    );
    const b = bias ? this.add(`${name}/bias`, tf.zeros([outC]), false) : null;
    return { name, kernel, bias: b, stride };
  }

  /** A dense kernel [in, out] and optional bias. */
  dense(
    name: string,
    inUnits: number,
    outUnits: number,
    bias: boolean,
    init: InitFor,
  ): DenseParams {
    const kernel = this.add(
      `${name}/kernel`,
      initKernel([inUnits, outUnits], inUnits, outUnits, init, deriveSeed(this.seed, name), 1),
      true,
    );
    const b = bias ? this.add(`${name}/bias`, tf.zeros([outUnits]), false) : null;
    return { name, kernel, bias: b };
  }

  /** BN scale/shift (trainable) and moving statistics (not trainable) over `channels`. */
  batchNorm(name: string, channels: number, momentum: number, epsilon: number): BnParams {
    const gamma = this.add(`${name}/gamma`, tf.ones([channels]), false);
    const beta = this.add(`${name}/beta`, tf.zeros([channels]), false);
    const movingMean = this.addMoving(`${name}/moving_mean`, tf.zeros([channels]));
    const movingVariance = this.addMoving(`${name}/moving_variance`, tf.ones([channels]));
    return { name, gamma, beta, movingMean, movingVariance, momentum, epsilon };
  }

  /** Appends a row to the summary's layer table; `macs` are per image. */
  record(name: string, type: LayerType, outputShape: number[], params: number, macs = 0): void {
    this.layers.push({ name, type, outputShape, params });
    this.macs += macs;
  }

  /** Frees every variable of the model. */
  dispose(): void {
    for (const v of [...this.trainable, ...this.moving]) v.variable.dispose();
  }

  private add(name: string, init: tf.Tensor, decay: boolean): tf.Variable {
    const variable = tf.variable(init, true, `${this.prefix}/${name}`);
    init.dispose();
    this.trainable.push({ name, variable, decay });
    return variable;
  }

  private addMoving(name: string, init: tf.Tensor): tf.Variable {
    const variable = tf.variable(init, false, `${this.prefix}/${name}`);
    init.dispose();
    this.moving.push({ name, variable, decay: false });
    return variable;
  }
}

function initKernel(
  shape: number[],
  fanIn: number,
  fanOut: number,
  init: InitFor,
  seed: number,
  scale: number,
): tf.Tensor {
  if (scale === 0) return tf.zeros(shape);
  if (init === 'relu') {
    return tf.randomNormal(shape, 0, scale * Math.sqrt(2 / fanIn), 'float32', seed);
  }
  const limit = scale * (init === 'sigmoid' ? 4 : 1) * Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed);
}

/** Filters after the width multiplier: rounded, at least 1. */
export function scaled(filters: number, width: number): number {
  return Math.max(1, Math.round(filters * width));
}
