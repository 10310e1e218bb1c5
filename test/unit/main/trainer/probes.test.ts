import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { VariantSpec, type VariantInput } from '../../../../main/api/config.js';
import { LayerProbe } from '../../../../main/api/events.js';
import { symlogBin } from '../../../../main/api/histogram.js';
import { buildModel, type Model } from '../../../../main/trainer/models/index.js';
import { histograms, probeModel } from '../../../../main/trainer/probes.js';

const input = { height: 8, width: 8, channels: 1, classes: 3 };
const build = (v: Partial<VariantInput>): Model =>
  buildModel(VariantSpec.parse({ name: 'v', width: 0.25, ...v }), input, 2);
const setVariable = (m: Model, name: string, value: number): void => {
  const v = m.trainable.find((t) => t.name === name)!.variable;
  v.assign(tf.fill(v.shape, value));
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('probes', () => {
  it('count a layer made dead on purpose as dead, and a healthy one as alive', async () => {
    const m = build({});
    setVariable(m, 'conv2/bias', -1000);
    const x = tf.randomNormal<tf.Rank.R4>([6, 8, 8, 1], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const layers = await probeModel(m, x);
    expect(tf.memory().numTensors).toBe(before);
    for (const layer of layers) LayerProbe.parse(layer);
    const byName = new Map(layers.map((l) => [l.layer, l]));
    expect([...byName.keys()]).toEqual(['conv1', 'conv2', 'conv3', 'conv4', 'dense1']);
    expect(byName.get('conv2')).toMatchObject({
      units: 8,
      deadUnits: 8,
      deadFraction: 1,
      saturatedFraction: null,
    });
    expect(byName.get('conv1')).toMatchObject({ units: 8, deadUnits: 0, deadFraction: 0 });
    // Every pre-activation value of conv2 lands in the histogram; all of its outputs are exact zeros.
    const conv2 = byName.get('conv2')!;
    expect(conv2.pre.total).toBe(6 * 8 * 8 * 8);
    expect(conv2.post.zeros).toBe(conv2.post.total);
    expect(conv2.preStats.max).toBeLessThan(-900);
    expect(conv2.postStats).toEqual({ mean: 0, std: 0, min: 0, max: 0 });
    x.dispose();
    m.dispose();
  });

  it('give the same histograms, dead units and statistics whatever the chunking of the probe batch', async () => {
    for (const variant of [
      {},
      { bn: 'before-activation' as const },
      { activation: 'tanh' as const },
    ]) {
      const m = build(variant);
      // Some dead and some live units in conv3, so the dead count is not trivially 0.
      setVariable(m, 'bn' in variant ? 'conv3.bn/beta' : 'conv3/bias', -0.3);
      const x = tf.randomNormal<tf.Rank.R4>([10, 8, 8, 1], 0, 1, 'float32', 7);
      const before = tf.memory().numTensors;
      const whole = await probeModel(m, x, 10);
      const chunked = await probeModel(m, x, 3);
      expect(tf.memory().numTensors).toBe(before);
      expect(chunked.map((l) => l.layer)).toEqual(whole.map((l) => l.layer));
      whole.forEach((w, i) => {
        const c = chunked[i]!;
        expect(c.pre).toEqual(w.pre);
        expect(c.post).toEqual(w.post);
        expect(c.deadUnits).toBe(w.deadUnits);
        expect(c.saturatedFraction).toBe(w.saturatedFraction);
        for (const key of ['mean', 'std', 'min', 'max'] as const) {
          expect(c.preStats[key]).toBeCloseTo(w.preStats[key], 4);
          expect(c.postStats[key]).toBeCloseTo(w.postStats[key], 4);
        }
      });
      x.dispose();
      m.dispose();
    }
  });

  it('measure saturation for tanh and sigmoid, and leave dead units to ReLU', async () => {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const m = build({ activation });
      setVariable(m, 'conv1/bias', 50);
      const x = tf.randomNormal<tf.Rank.R4>([4, 8, 8, 1], 0, 1, 'float32', 1);
      const [conv1, conv2] = await probeModel(m, x);
      expect(conv1).toMatchObject({
        layer: 'conv1',
        activation,
        deadUnits: null,
        deadFraction: null,
        saturatedFraction: 1,
      });
      expect(conv2!.saturatedFraction).toBeLessThan(1);
      x.dispose();
      m.dispose();
    }
  });

  it('tap the input of the nonlinearity after BN when BN comes first', async () => {
    const m = build({ bn: 'before-activation' });
    const x = tf.randomNormal<tf.Rank.R4>([8, 8, 8, 1], 3, 10, 'float32', 1);
    // Fresh moving statistics (mean 0, variance 1) with γ = 2 scale the pre-activation by ≈2.
    setVariable(m, 'conv1.bn/gamma', 2);
    const withBn = await probeModel(m, x);
    const plain = build({ bn: 'none' });
    const without = await probeModel(plain, x);
    expect(withBn[0]!.preStats.std / without[0]!.preStats.std).toBeCloseTo(2, 1);
    x.dispose();
    m.dispose();
    plain.dispose();
  });
});

describe('histograms', () => {
  it('bin with symlog-v1 and derive the ReLU output from the input', () => {
    const values = Float32Array.from([-2, -1e-6, 0, 0.5, 3, 2e4, -3e4]);
    const { pre, post } = histograms(values, 'relu');
    expect(pre.total).toBe(7);
    expect(pre.zeros).toBe(1);
    expect(pre.overflow).toBe(1);
    expect(pre.underflow).toBe(1);
    expect(pre.counts[symlogBin(-2)]).toBe(1);
    expect(pre.counts[symlogBin(0)]).toBe(2);
    expect(post.zeros).toBe(4);
    expect(post.counts[symlogBin(3)]).toBe(1);
    expect(post.underflow).toBe(0);
  });
});
