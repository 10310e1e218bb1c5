/**
 * One lab and two `bnlab worker`s on this machine, through a real redis-server: an experiment of
 * four tiny runs trains to the same numbers as it does locally; a worker SIGKILLed mid-epoch hands
 * its run to the other one, which repeats at most the unfinished epoch; Redis killed and started
 * again mid-experiment does not stop the experiment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec, type ExperimentInput } from '../../../../main/api/config.js';
import type { EventOf, TrainerEvent } from '../../../../main/api/events.js';
import { callLab } from '../../../../main/cli/call.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab } from '../../../../main/lab/types.js';
import {
  openQueueLab,
  startWorkerProcess,
  type WorkerProcess,
} from '../../../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

// One Redis (persistent, for the restart test) and two workers for the whole file: starting a
// worker costs seconds on a loaded 2-core machine. A test that kills a worker replaces it.
let server: TestRedis;
const pool: WorkerProcess[] = [];
beforeAll(async () => {
  server = await startRedis({ persistent: true });
  pool.push(
    ...(await Promise.all([startWorkerProcess(server.url), startWorkerProcess(server.url)])),
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(pool.map((w) => w.kill('SIGKILL')));
  await server.stop();
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-queue-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function queueLab(url: string): Promise<Lab> {
  const lab = await openQueueLab(await tempHome(), url);
  cleanups.push(() => lab.close());
  return lab;
}

/** Trains `input` on wasm in `lab`; returns every run's stored events, by variant and seed. */
async function train(lab: Lab, input: ExperimentInput) {
  const spec = ExperimentSpec.parse(input);
  const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
  await lab.idle();
  const result = new Map<
    string,
    { status: string; events: TrainerEvent[]; worker?: string | null }
  >();
  for (const run of runs) {
    const record = await callLab(lab, 'runs.get', { id: run.id });
    const events = await callLab(lab, 'runs.events', { id: run.id });
    result.set(`${run.variant.name} s${run.seed}`, {
      status: record.status,
      events,
      worker: record.worker,
    });
  }
  return result;
}

const epochs = (events: TrainerEvent[]) =>
  events.filter((e): e is EventOf<'epoch'> => e.kind === 'epoch');
const metrics = (events: TrainerEvent[]) =>
  epochs(events).map(({ epoch, trainLoss, trainAccuracy, valLoss, valAccuracy }) => ({
    epoch,
    trainLoss,
    trainAccuracy,
    valLoss,
    valAccuracy,
  }));
const startedBy = (events: TrainerEvent[]) =>
  events.filter((e): e is EventOf<'started'> => e.kind === 'started');

// About a minute each on a quiet 2-core machine; under heavy load (8 builds at once) up to 7.
describe('runs trained by workers through Redis', { timeout: 900_000 }, () => {
  it('two workers train an experiment of four runs to the same metrics as a local run', async () => {
    const input = tinyExperiment({ seeds: 2 });
    const [a, b] = pool;
    const remote = await train(await queueLab(server.url), input);

    const localLab = await createLab({
      home: await tempHome(),
      mode: 'cli',
      parallel: 2,
      pushIntervalMs: 0,
    });
    cleanups.push(() => localLab.close());
    const local = await train(localLab, input);

    expect([...remote.keys()]).toEqual(['no-bn s1', 'no-bn s2', 'bn-before s1', 'bn-before s2']);
    for (const [key, run] of remote) {
      expect(run.status, key).toBe('completed');
      expect(metrics(run.events), key).toEqual(metrics(local.get(key)!.events));
      expect(metrics(run.events)).toHaveLength(2);
      // The lab shows which worker trained the run.
      expect(run.worker).toMatch(new RegExp(`pid (${a!.pid}|${b!.pid})\\)`));
    }
    // Both workers took part.
    const pids = new Set([...remote.values()].map((r) => /pid (\d+)/.exec(r.worker ?? '')?.[1]));
    expect(pids.size).toBe(2);
  });

  it('a worker SIGKILLed mid-epoch: its run completes on the other, repeating at most that epoch', async () => {
    const [first, second] = pool;
    const lab = await queueLab(server.url);
    const input = tinyExperiment({
      training: {
        epochs: 3,
        batchSize: 32,
        learningRate: 0.05,
        trainSubset: 384,
        validationSubset: 64,
        probeImages: 16,
        progressIntervalMs: 0,
      },
      variants: [{ name: 'no-bn', width: 0.0625 }],
    });
    // Kill the worker that trains the run once it is past epoch 1, in the middle of epoch 2.
    let killedAtEpochs: number | null = null;
    let victim: WorkerProcess | null = null;
    let epochsSeen = 0;
    let trainingEpoch = 0;
    lab.subscribe((push) => {
      if (push.name !== 'run.events') return;
      for (const event of push.payload.events) {
        if (event.kind === 'started' && event.worker && !victim) {
          victim = event.worker.includes(`pid ${first!.pid})`) ? first! : second!;
        }
        if (event.kind === 'epoch') epochsSeen = event.epoch;
        if (event.kind === 'progress') trainingEpoch = event.epoch;
      }
    });
    const killer = (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (victim && epochsSeen >= 1 && trainingEpoch > epochsSeen) {
          killedAtEpochs = epochsSeen;
          await (victim as WorkerProcess).kill('SIGKILL');
          // The pool gets a fresh worker for the next test.
          pool.splice(pool.indexOf(victim), 1, await startWorkerProcess(server.url));
          return;
        }
        if (Date.now() > deadline) throw new Error('the run never reached epoch 2');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const result = await train(lab, input);
    await killer;
    const run = result.get('no-bn s1')!;
    expect(run.status).toBe('completed');
    // Every epoch recorded exactly once, nothing lost.
    expect(epochs(run.events).map((e) => e.epoch)).toEqual([1, 2, 3]);
    const starts = startedBy(run.events);
    expect(starts).toHaveLength(2);
    const survivor = victim === first ? second! : first!;
    expect(starts[1]!.worker).toContain(`pid ${survivor.pid})`);
    // Resumed from the last epoch the lab had recorded (or a later one), never from scratch.
    expect(starts[1]!.resumedFromEpoch).toBeGreaterThanOrEqual(killedAtEpochs!);
    expect(run.worker).toContain(`pid ${survivor.pid})`);
  });

  it('Redis killed and started again mid-experiment: the experiment completes', async () => {
    const lab = await queueLab(server.url);
    const input = tinyExperiment({
      training: {
        epochs: 3,
        batchSize: 32,
        learningRate: 0.05,
        trainSubset: 256,
        validationSubset: 64,
        probeImages: 16,
        progressIntervalMs: 0,
      },
    });
    const restart: { done: Promise<void> | null } = { done: null };
    lab.subscribe((push) => {
      if (restart.done || push.name !== 'run.events') return;
      if (push.payload.events.some((e) => e.kind === 'epoch')) {
        restart.done = (async () => {
          await server.kill();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await server.restart();
        })();
      }
    });
    const result = await train(lab, input);
    expect(restart.done).not.toBeNull();
    await restart.done;
    for (const [key, run] of result) {
      expect(run.status, key).toBe('completed');
      expect(
        epochs(run.events).map((e) => e.epoch),
        key,
      ).toEqual([1, 2, 3]);
    }
  });
});
