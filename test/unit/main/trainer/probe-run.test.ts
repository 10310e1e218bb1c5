import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { VariantSpec, type VariantInput } from '../../../../main/api/config.js';
import { ProbeEvent } from '../../../../main/api/events.js';
import { selectBackend } from '../../../../main/trainer/backends/select.js';
import { buildModel, deriveSeed, type Model } from '../../../../main/trainer/models/index.js';
import { probeRun } from '../../../../main/trainer/probe-run.js';
import { linearMask, probeModel } from '../../../../main/trainer/probes.js';

const input = { height: 8, width: 8, channels: 1, classes: 3 };
const variantOf = (v: Partial<VariantInput>): VariantSpec =>
  VariantSpec.parse({ name: 'v', width: 0.25, ...v });
const build = (v: Partial<VariantInput>, seed = 2): Model => buildModel(variantOf(v), input, seed);
const setVariable = (m: Model, name: string, value: number): void => {
  const v = m.trainable.find((t) => t.name === name)!.variable;
  v.assign(tf.fill(v.shape, value));
};
const images = (n: number, seed = 1) =>
  tf.randomNormal<tf.Rank.R4>([n, 8, 8, 1], 0, 1, 'float32', seed);

beforeAll(async () => {
  // wasm, as train.test.ts: the ensemble test's 65 passes are slow on the cpu backend.
  await selectBackend('wasm');
});

describe('linear-region and saturation shares', () => {
  it('put a pre-activation in the linear band exactly when |f(x) − f(0) − f′(0)x| ≤ 5 % of |f′(0)x|', () => {
    // tanh: the band ends at |x| ≈ 0.3995; sigmoid (½ + ½·tanh(x/2)): at |x| ≈ 0.799.
    const pre = tf.tensor1d([-3, -0.79, -0.41, -0.39, 0, 0.2, 0.39, 0.41, 0.79, 0.81]);
    const share = (activation: 'tanh' | 'sigmoid') =>
      tf.tidy(() => {
        const post = activation === 'tanh' ? tf.tanh(pre) : tf.sigmoid(pre);
        return Array.from(tf.cast(linearMask(pre, post, activation), 'int32').dataSync());
      });
    expect(share('tanh')).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0, 0]);
    expect(share('sigmoid')).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    pre.dispose();
  });

  it('are 1 and 0 for a layer whose pre-activations all sit at a chosen value', async () => {
    const x = images(4);
    const cases = [
      { activation: 'tanh' as const, at: 0.3, linear: 1, saturated: 0 },
      { activation: 'tanh' as const, at: 0.6, linear: 0, saturated: 0 },
      { activation: 'tanh' as const, at: -3, linear: 0, saturated: 1 },
      { activation: 'sigmoid' as const, at: 0.7, linear: 1, saturated: 0 },
      { activation: 'sigmoid' as const, at: 6, linear: 0, saturated: 1 },
    ];
    for (const c of cases) {
      const m = build({ activation: c.activation });
      // A zero kernel makes conv1's pre-activation its bias at every image and position.
      setVariable(m, 'conv1/kernel', 0);
      setVariable(m, 'conv1/bias', c.at);
      const [conv1] = await probeModel(m, x);
      expect(conv1).toMatchObject({ linearFraction: c.linear, saturatedFraction: c.saturated });
      m.dispose();
    }
    x.dispose();
  });
});

describe('probeRun', () => {
  it('reports a zero gradient for every unit of a layer whose ReLUs are all dead', async () => {
    const x = images(6);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    const healthy = build({});
    const dead = build({});
    setVariable(dead, 'conv2/bias', -1000);
    const before = tf.memory().numTensors;
    const ok = await probeRun(healthy, variantOf({}), x, labels, { seed: 1, step: 0 });
    const bad = await probeRun(dead, variantOf({}), x, labels, { seed: 1, step: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const layer = (r: typeof ok, name: string) => r.layers.find((l) => l.layer === name)!;
    expect(layer(bad, 'conv2')).toMatchObject({
      deadFraction: 1,
      zeroGradFraction: 1,
      gradNorm: 0,
    });
    expect(layer(ok, 'conv2').zeroGradFraction).toBe(0);
    expect(layer(ok, 'conv2').gradNorm).toBeGreaterThan(0);
    // Without BN or dropout there is nothing to report for those mechanisms.
    expect(ok).toMatchObject({ dropoutEnsemble: null, bnModes: null });
    expect(layer(ok, 'conv2')).toMatchObject({ bnGamma: null, bnBeta: null });
    tf.dispose([x, labels]);
    healthy.dispose();
    dead.dispose();
  });

  it('MC dropout: k = 1 is one thinned pass, and 64 thinned networks vote nearly as the weight-scaled one', async () => {
    const variant = variantOf({ dropout: 0.5, width: 0.5 });
    const m = buildModel(variant, input, 3);
    const x = images(64, 4);
    // Labels = the weight-scaled network's own answers, so its accuracy is 1 by construction.
    const labels = tf.tidy(() =>
      tf.cast(tf.argMax<tf.Tensor1D>(m.forward(x, { training: false }), 1), 'int32'),
    );
    const before = tf.memory().numTensors;
    const result = await probeRun(m, variant, x, labels, { seed: 9, step: 12, chunkImages: 64 });
    expect(tf.memory().numTensors).toBe(before);
    const ensemble = result.dropoutEnsemble!;
    expect(ensemble.samples).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(ensemble.weightScaledAccuracy).toBe(1);
    const onePass = tf.tidy(() => {
      const dropoutSeed = deriveSeed(9, 'mc-dropout', 12, 0);
      const logits = m.forward(x, { training: false, thinned: true, dropoutSeed });
      return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
    });
    expect(ensemble.thinnedAccuracy[0]).toBeCloseTo((await onePass.data())[0]!, 6);
    // One thinned network disagrees with the weight-scaled one on some images; 64 almost never.
    expect(ensemble.thinnedAccuracy[0]).toBeLessThan(0.95);
    expect(ensemble.thinnedAccuracy.at(-1)).toBeGreaterThanOrEqual(0.95);
    // Seeded: the same probe gives the same curve.
    const again = await probeRun(m, variant, x, labels, { seed: 9, step: 12, chunkImages: 64 });
    expect(again.dropoutEnsemble).toEqual(ensemble);
    tf.dispose([x, labels, onePass]);
    m.dispose();
  });

  it('reports BN γ/β and both BN modes, within the event schema and without leaking tensors', async () => {
    const variant = variantOf({ bn: 'before-activation', dropout: 0.5 });
    const m = buildModel(variant, input, 2);
    setVariable(m, 'conv3.bn/gamma', 1.5);
    const x = images(10);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
    const moving = m.movingStatistics.map((v) => Array.from(v.variable.dataSync()));
    const before = tf.memory().numTensors;
    const result = await probeRun(m, variant, x, labels, { seed: 1, step: 3, chunkImages: 4 });
    expect(tf.memory().numTensors).toBe(before);
    // Probing with batch statistics must not move the moving ones.
    expect(m.movingStatistics.map((v) => Array.from(v.variable.dataSync()))).toEqual(moving);
    ProbeEvent.parse({ kind: 'probe', time: 0, epoch: 1, step: 3, epochEnd: true, ...result });
    const conv3 = result.layers.find((l) => l.layer === 'conv3')!;
    expect(conv3.bnGamma).toEqual({ mean: 1.5, std: 0, min: 1.5, max: 1.5 });
    expect(conv3.bnBeta).toEqual({ mean: 0, std: 0, min: 0, max: 0 });
    expect(result.bnModes).not.toBeNull();
    expect(result.dropoutEnsemble?.thinnedAccuracy).toHaveLength(7);
    tf.dispose([x, labels]);
    m.dispose();
  });
});
