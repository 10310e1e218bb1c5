/**
 * Whole runs on webgpu (headless Chromium, SwiftShader): a run trained on webgpu resumes on wasm
 * from its checkpoint and completes, and `bnlab run … --backend webgpu` works end to end.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../../../../main/api/config.js';
import {
  type TrainerEvent,
  TrainerEvent as TrainerEventSchema,
} from '../../../../../main/api/events.js';
import { selectBackend } from '../../../../../main/trainer/backends/select.js';
import { selectTrainerBackend } from '../../../../../main/trainer/backends/select-trainer.js';
import { trainRun } from '../../../../../main/trainer/train.js';
import { syntheticDataset } from '../../../../helpers/synthetic-data.js';
import { useWasm } from '../backends/wasm/helpers.js';
import { buildGpuBundle } from './gpu-helpers.js';

const BIN = fileURLToPath(new URL('../../../../../bin/bnlab.js', import.meta.url));
let root: string;

beforeAll(async () => {
  buildGpuBundle();
  await useWasm();
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-gpu-'));
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runs on webgpu', () => {
  it('resumes a run trained on webgpu on wasm, and completes', async () => {
    const dataset = syntheticDataset({ height: 8, width: 8, train: 32, validation: 16 });
    const config = (epochs: number, backend: 'webgpu' | 'wasm') =>
      RunConfig.parse({
        runId: 'r',
        experimentId: 'e',
        experimentName: 'e',
        dataset: 'mnist',
        seed: 3,
        backend,
        variant: { name: 'v', width: 0.25, bn: 'before-activation' },
        training: { epochs, batchSize: 16, learningRate: 0.05, probeImages: 8 },
      });
    const checkpointDir = path.join(root, 'checkpoints');
    const events: TrainerEvent[] = [];
    const emit = (e: TrainerEvent) => events.push(TrainerEventSchema.parse(e));

    const gpu = await selectTrainerBackend('webgpu', { BNLAB_GPU_ADAPTER: 'software' });
    try {
      expect(gpu.info).toMatchObject({ name: 'webgpu', device: 'cpu' });
      expect(gpu.info.flags.softwareAdapter).toBe(true);
      const first = await trainRun({
        config: config(1, 'webgpu'),
        dataset,
        emit,
        shouldStop: () => false,
        checkpointDir,
        resumeFromEpoch: 0,
        backend: gpu.info,
        engine: gpu.engine,
      });
      expect(first).toMatchObject({ kind: 'completed', epochsCompleted: 1 });
    } finally {
      await gpu.close();
    }

    const resumed = await trainRun({
      config: config(2, 'wasm'),
      dataset,
      emit,
      shouldStop: () => false,
      checkpointDir,
      resumeFromEpoch: 1,
      backend: await selectBackend('wasm'),
    });
    expect(resumed).toMatchObject({ kind: 'completed', epochsCompleted: 2 });
    const started = events.filter((e) => e.kind === 'started');
    expect(started.map((e) => [e.backend.name, e.resumedFromEpoch])).toEqual([
      ['webgpu', 0],
      ['wasm', 1],
    ]);
    const epochs = events.flatMap((e) => (e.kind === 'epoch' ? [e] : []));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    // Training went on from the webgpu weights: epoch 2's loss is below epoch 1's.
    expect(epochs[1]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
  }, 400_000);

  it('bnlab run bn-simple --backend webgpu trains the preset at a tiny scale end to end and records the adapter', async () => {
    const env = { ...process.env, BNLAB_GPU_ADAPTER: 'software' };
    const cli = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [BIN, '--home', root, ...args],
          { timeout: 1_470_000, env, cwd: root },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    // The preset itself (3 variants, width ¼ at quick scale) on 32 training and 16 validation
    // MNIST images, one epoch: SwiftShader runs on the CPU.
    const run = await cli(
      'run',
      'bn-simple',
      '--backend',
      'webgpu',
      '--epochs',
      '1',
      '--train-subset',
      '32',
      '--validation-subset',
      '16',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/started on webgpu/);
    for (const variant of ['no-bn', 'bn-before', 'bn-after'])
      expect(run.stdout).toMatch(new RegExp(`${variant}\\s+│ completed`));
    const list = JSON.parse((await cli('list', '--json')).stdout) as Array<{
      id: string;
      backend: string;
    }>;
    expect(list).toHaveLength(3);
    const shown = await cli('show', list[0]!.id);
    expect(shown.stdout).toMatch(/webgpu .*swiftshader \(software\)/);
    const record = JSON.parse((await cli('show', list[0]!.id, '--json')).stdout) as {
      training: { trainSubset: number; validationSubset: number; epochs: number };
    };
    expect(record.training).toMatchObject({ trainSubset: 32, validationSubset: 16, epochs: 1 });
    // A hang detector: the three runs took 9.5 min on a loaded 2-core machine.
  }, 1_500_000);
});
