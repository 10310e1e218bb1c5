import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingSpec, VariantSpec } from '../../../../main/api/config.js';
import { BackendInfo } from '../../../../main/api/events.js';
import { BackendStatus } from '../../../../main/api/records.js';
import { probeBackendsIsolated } from '../../../../main/trainer/backends/probe-isolated.js';
import { selectBackend } from '../../../../main/trainer/backends/select.js';
import { buildModel } from '../../../../main/trainer/models/index.js';
import { createTrainer } from '../../../../main/trainer/train-step.js';
import { makeBatch } from '../../../../main/data/batches.js';
import { syntheticDataset } from '../../../helpers/synthetic-data.js';
import { buildGpuBundle } from './browser/gpu-helpers.js';

describe('backend selection', () => {
  // The webgpu/webgl rows load the GPU trainer bundle; build it from these sources.
  beforeAll(buildGpuBundle, 120_000);

  it('refuses "tensorflow" where the native package is missing, saying what to do', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /backend "tensorflow" is not available here: .*tfjs-node-gpu is not installed.*CUDA 11\.2 and cuDNN 8\.1.*--backend wasm or cpu/,
    );
  });

  it('auto picks wasm here, reports the custom kernels and why native was passed over', async () => {
    const info = BackendInfo.parse(await selectBackend('auto'));
    expect(info).toMatchObject({
      name: 'wasm',
      device: 'cpu',
      package: '@tensorflow/tfjs-backend-wasm',
    });
    expect(String(info.flags.customKernels)).toContain('Conv2DBackpropFilter');
    expect(info.reason).toMatch(/not used: .*tfjs-node-gpu.*tfjs-node is not installed/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('lists every backend for doctor in auto order, probed outside this process', async () => {
    const rows = (await probeBackendsIsolated()).map((r) => BackendStatus.parse(r));
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['tensorflow (GPU)', false],
      ['webgpu (hardware)', false],
      ['webgl (hardware)', false],
      ['tensorflow (CPU)', false],
      ['wasm', true],
      ['cpu', true],
      // Chromium's SwiftShader: there, but only when asked for by name.
      ['webgpu (software)', true],
      ['webgl (software)', true],
    ]);
    expect(rows[0]?.detail).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    expect(rows[6]?.detail).toMatch(/swiftshader \(software\).*only when asked by name/i);
    // Nothing was loaded here: this process still has no tfjs-node.
    expect(tf.engine().registryFactory.tensorflow).toBeUndefined();
    // Five probe processes and two Chromium launches: minutes on a loaded 2-core machine.
  }, 400_000);

  it('trains to the same losses on wasm as on cpu, within float tolerance', async () => {
    const dataset = syntheticDataset({ height: 8, width: 8, train: 32 });
    const variant = VariantSpec.parse({
      name: 'v',
      width: 0.25,
      bn: 'before-activation',
      dropout: 0.25,
    });
    const training = TrainingSpec.parse({ learningRate: 0.05 });
    const losses = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
      await selectBackend(backend);
      const model = buildModel(variant, { height: 8, width: 8, channels: 1, classes: 4 }, 5);
      const trainer = createTrainer(model, training, 5);
      const out: number[] = [];
      for (let step = 0; step < 4; step++) {
        const batch = makeBatch(
          dataset.train,
          dataset,
          Uint32Array.from({ length: 8 }, (_, i) => step * 8 + i),
          null,
        );
        const x = tf.tensor4d(batch.x, [8, 8, 8, 1]);
        const labels = tf.tensor1d(batch.labels, 'int32');
        out.push((await trainer.step(x, labels, step)).loss);
        tf.dispose([x, labels]);
      }
      trainer.dispose();
      model.dispose();
      return out;
    };
    const cpu = await losses('cpu');
    const wasm = await losses('wasm');
    wasm.forEach((loss, i) => expect(loss).toBeCloseTo(cpu[i]!, 3));
    // The steps change the weights: the losses are not all equal.
    expect(new Set(cpu.map((l) => l.toFixed(4))).size).toBeGreaterThan(1);
  });
});
