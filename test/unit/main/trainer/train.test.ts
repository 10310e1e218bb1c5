import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig, type TrainingInput, type VariantInput } from '../../../../main/api/config.js';
import {
  type BackendInfo,
  isTerminal,
  type TerminalEvent,
  TrainerEvent,
} from '../../../../main/api/events.js';
import { selectBackend } from '../../../../main/trainer/backends/select.js';
import { trainRun, type TrainRunOptions } from '../../../../main/trainer/train.js';
import { syntheticDataset } from '../../../helpers/synthetic-data.js';

let backend: BackendInfo;
let root: string;
const dataset = syntheticDataset({ height: 8, width: 8, train: 48, validation: 24 });

beforeAll(async () => {
  // wasm is the backend this project trains on without native TensorFlow (and far faster than cpu).
  backend = await selectBackend('wasm');
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function config(training: TrainingInput = {}, variant: Partial<VariantInput> = {}): RunConfig {
  return RunConfig.parse({
    runId: 'run-1',
    experimentId: 'exp-1',
    experimentName: 'exp',
    dataset: 'mnist',
    seed: 11,
    variant: { name: 'v', width: 0.25, bn: 'before-activation', dropout: 0.5, ...variant },
    training: {
      epochs: 3,
      batchSize: 16,
      learningRate: 0.05,
      probeImages: 8,
      progressIntervalMs: 0,
      ...training,
    },
  });
}

let dirCount = 0;
/** Runs to the end, validating every event against the contract. */
async function run(
  cfg: RunConfig,
  extra: Partial<TrainRunOptions> = {},
): Promise<{ events: TrainerEvent[]; terminal: TerminalEvent; dir: string }> {
  const events: TrainerEvent[] = [];
  const dir = extra.checkpointDir ?? path.join(root, `ckpt-${++dirCount}`);
  const terminal = await trainRun({
    config: cfg,
    dataset,
    emit: (e) => events.push(TrainerEvent.parse(e)),
    shouldStop: () => false,
    checkpointDir: dir,
    resumeFromEpoch: 0,
    backend,
    ...extra,
  });
  return { events, terminal, dir };
}

const epochs = (events: TrainerEvent[]) => events.filter((e) => e.kind === 'epoch');
const metrics = (events: TrainerEvent[]) =>
  epochs(events).map(({ trainLoss, trainAccuracy, valLoss, valAccuracy, learningRate }) => ({
    trainLoss,
    trainAccuracy,
    valLoss,
    valAccuracy,
    learningRate,
  }));

describe('trainRun', () => {
  it('emits started, epochs with probes, and exactly one terminal event; same seed gives identical numbers', async () => {
    const a = await run(config());
    const b = await run(config());
    expect(a.terminal).toMatchObject({ kind: 'completed', epochsCompleted: 3 });
    expect(a.events[0]?.kind).toBe('started');
    expect(a.events.filter(isTerminal)).toHaveLength(1);
    expect(a.events.at(-1)).toEqual(a.terminal);
    expect(epochs(a.events).map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(a.events.filter((e) => e.kind === 'probe' && e.epochEnd)).toHaveLength(3);
    expect(metrics(a.events)).toEqual(metrics(b.events));
    const probes = (events: TrainerEvent[]) =>
      events.filter((e) => e.kind === 'probe').map((e) => e.layers);
    expect(probes(a.events)).toEqual(probes(b.events));
    // It learns the synthetic task a little (in training mode: after 9 steps BN's moving
    // statistics are still close to their initial values, so the inference-mode loss lags).
    const [first, , last] = epochs(a.events);
    expect(last!.trainRunningLoss).toBeLessThan(first!.trainRunningLoss!);
  });

  it('keeps the tensor count flat from epoch to epoch, and frees everything at the end', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const { terminal } = await run(
      config({ epochs: 4, schedule: 'cosine', optimizer: 'adam', learningRate: 0.01 }),
      {
        emit: (e) => {
          if (e.kind === 'epoch') counts.push(tf.memory().numTensors);
        },
      },
    );
    expect(terminal.kind).toBe('completed');
    // Epoch 1 creates the optimizer's accumulators; from then on nothing may grow.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("trains at the variant's own learning rate and reports inference-mode and running train metrics", async () => {
    const { events } = await run(
      config({ epochs: 1, learningRate: 0.05 }, { learningRate: 0.002 }),
    );
    const [epoch] = epochs(events);
    expect(epoch!.learningRate).toBe(0.002);
    // The whole (48-image) training split is smaller than the default 1000 images.
    expect(epoch!.trainEvalImages).toBe(48);
    expect(epoch!.trainRunningLoss).toBeGreaterThan(0);
    expect(epoch!.trainRunningLoss).not.toBe(epoch!.trainLoss);
  });

  it('ends as diverged at the step whose loss is not finite', async () => {
    // Weight decay 1 at rate 10 multiplies every kernel by about −9 per step: the weights overflow.
    const { events, terminal } = await run(
      config(
        { learningRate: 10, weightDecay: 1, epochs: 10, batchSize: 8 },
        { bn: 'none', dropout: 0 },
      ),
    );
    expect(terminal.kind).toBe('diverged');
    if (terminal.kind !== 'diverged') return;
    expect(['NaN', 'Infinity']).toContain(terminal.loss);
    expect(terminal.epochsCompleted).toBe(terminal.epoch - 1);
    expect(events.filter(isTerminal)).toHaveLength(1);
  });

  it('ends as diverged at the first batch when the inputs are NaN', async () => {
    const broken = { ...dataset, mean: [Number.NaN] };
    // tanh passes NaN on (wasm's ReLU, max(0, x), would turn it into 0).
    const { terminal } = await run(config({}, { activation: 'tanh' }), { dataset: broken });
    expect(terminal).toMatchObject({
      kind: 'diverged',
      epoch: 1,
      batch: 1,
      loss: 'NaN',
      epochsCompleted: 0,
    });
  });

  it('stops within one batch of the request', async () => {
    let batches = 0;
    let stopAt = -1;
    const { terminal } = await run(config({ epochs: 3 }), {
      emit: (e) => {
        if (e.kind === 'progress') batches++;
      },
      shouldStop: () => {
        if (batches >= 4 && stopAt < 0) stopAt = batches;
        return stopAt >= 0;
      },
    });
    expect(terminal).toMatchObject({ kind: 'stopped', epochsCompleted: 1 });
    expect(batches).toBe(stopAt);
  });

  it('probes every N batches as well as at each epoch end', async () => {
    const { events } = await run(config({ epochs: 1, batchSize: 8, probeEveryBatches: 2 }));
    const probes = events.filter((e) => e.kind === 'probe');
    // 6 batches: mid-epoch probes after batches 2 and 4, then the epoch-end probe.
    expect(probes.map((p) => [p.step, p.epochEnd])).toEqual([
      [2, false],
      [4, false],
      [6, true],
    ]);
  });

  it('throttles progress events with the injected clock', async () => {
    let now = 0;
    const { events } = await run(config({ epochs: 1, batchSize: 4, progressIntervalMs: 250 }), {
      clock: () => (now += 100),
    });
    // 12 batches, the clock moves 100 ms per call: far fewer progress events than batches, last batch included.
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeLessThan(12);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ batch: 12, batchesPerEpoch: 12 });
    // Each event's window covers the batches since the previous one: the windows tile the epoch,
    // their image-weighted mean is the epoch's running mean, and `step` counts optimizer steps.
    const windows = progress.map((p) => (p.kind === 'progress' ? p : null)).filter((p) => !!p);
    expect(windows.reduce((n, p) => n + (p.windowBatches ?? 0), 0)).toBe(12);
    expect(windows.map((p) => p.step)).toEqual(windows.map((p) => p.batch));
    const last = windows.at(-1)!;
    const weighted = windows.reduce(
      (sum, p) => sum + (p.windowLoss ?? NaN) * (p.windowBatches ?? 0) * 4,
      0,
    );
    expect(weighted / 48).toBeCloseTo(last.loss, 5);
    const accuracy = windows.reduce(
      (sum, p) => sum + (p.windowAccuracy ?? NaN) * (p.windowBatches ?? 0) * 4,
      0,
    );
    expect(accuracy / 48).toBeCloseTo(last.accuracy, 5);
  });

  it('resumes from a checkpoint with the same numbers as an uninterrupted run, keeping two checkpoints', async () => {
    const cfg = config({
      epochs: 3,
      augment: true,
      schedule: 'step',
      stepEpochs: 1,
      stepGamma: 0.5,
    });
    const whole = await run(cfg);
    expect(await readdir(whole.dir)).toEqual(['epoch-2', 'epoch-3']);

    const dir = path.join(root, 'resume');
    const first = await run(RunConfig.parse({ ...cfg, training: { ...cfg.training, epochs: 2 } }), {
      checkpointDir: dir,
    });
    expect(first.terminal.kind).toBe('completed');
    const rest = await run(cfg, { checkpointDir: dir, resumeFromEpoch: 2 });
    expect(rest.events[0]).toMatchObject({ kind: 'started', resumedFromEpoch: 2 });
    expect(rest.terminal).toMatchObject({ kind: 'completed', epochsCompleted: 3 });
    expect([...metrics(first.events), ...metrics(rest.events)]).toEqual(metrics(whole.events));
  });

  it('resumes from the newest checkpoint that validates when the latest is lost or damaged (issue 10, defect 5)', async () => {
    const cfg = config({ epochs: 4 });
    const whole = await run(cfg);
    for (const damage of ['delete', 'truncate'] as const) {
      const dir = path.join(root, `damaged-${damage}`);
      await run(RunConfig.parse({ ...cfg, training: { ...cfg.training, epochs: 3 } }), {
        checkpointDir: dir,
      });
      if (damage === 'delete') await rm(path.join(dir, 'epoch-3'), { recursive: true });
      else await truncate(path.join(dir, 'epoch-3', 'weights.bin'), 100);
      const rest = await run(cfg, { checkpointDir: dir, resumeFromEpoch: 3 });
      expect(rest.events[0]).toMatchObject({ kind: 'log', level: 'warning' });
      const warning = rest.events[0]!.kind === 'log' ? rest.events[0].message : '';
      expect(warning).toMatch(/cannot resume from epoch 3: .*; resuming from epoch 2 instead/);
      expect(rest.events[1]).toMatchObject({ kind: 'started', resumedFromEpoch: 2 });
      expect(rest.terminal).toMatchObject({ kind: 'completed', epochsCompleted: 4 });
      // Epochs 3 and 4 are trained again, with the numbers of the uninterrupted run.
      expect(metrics(rest.events)).toEqual(metrics(whole.events).slice(2));
    }
  });

  it('a checkpoint that cannot be written fails the run, which resumes from the last one written', async () => {
    // As on a full disk, the write of epoch 2's checkpoint fails: here its folder is replaced
    // by a file once epoch 1 is reported, so every write under it fails (for root too, which a
    // read-only mode would not stop).
    const cfg = config({ epochs: 3 });
    const whole = await run(cfg);
    const dir = path.join(root, 'write-fails');
    const away = `${dir}.away`;
    const failing = await run(cfg, {
      checkpointDir: dir,
      emit: (e) => {
        if (e.kind !== 'epoch' || e.epoch !== 1) return;
        renameSync(dir, away);
        writeFileSync(dir, 'not a folder');
      },
    });
    expect(failing.terminal).toMatchObject({ kind: 'failed', epochsCompleted: 1 });
    if (failing.terminal.kind === 'failed') expect(failing.terminal.message).toContain(dir);
    // Space again: nothing half-written was left, and the run continues from epoch 1.
    rmSync(dir);
    renameSync(away, dir);
    expect(await readdir(dir)).toEqual(['epoch-1']);
    const rest = await run(cfg, { checkpointDir: dir, resumeFromEpoch: 1 });
    expect(rest.terminal).toMatchObject({ kind: 'completed', epochsCompleted: 3 });
    expect(metrics(rest.events)).toEqual(metrics(whole.events).slice(1));
  });

  it('fails with a clear message when the checkpoint to resume from is missing', async () => {
    const { terminal, events } = await run(config(), {
      resumeFromEpoch: 2,
      checkpointDir: path.join(root, 'none'),
    });
    expect(terminal.kind).toBe('failed');
    if (terminal.kind === 'failed')
      expect(terminal.message).toMatch(/cannot resume from epoch 2: .*checkpoint\.json/);
    expect(events.filter(isTerminal)).toHaveLength(1);
  });
});
