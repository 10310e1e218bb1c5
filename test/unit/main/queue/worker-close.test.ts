/**
 * Ctrl-C on a worker hands its run back to the queue at once (no stalled-job wait): another worker
 * continues it from the last checkpoint the first one reported, to the same metrics as a local
 * run that was never interrupted. Nothing here waits on BullMQ's lock or stalled-job timers; the
 * time it takes is training time (seconds when quiet, minutes on a loaded machine).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import type { EventOf, TrainerEvent } from '../../../../main/api/events.js';
import { callLab } from '../../../../main/cli/call.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab } from '../../../../main/lab/types.js';
import { startWorker, type RunningWorker } from '../../../../main/queue/worker.js';
import { openQueueLab } from '../../../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

let server: TestRedis;
let home: string;
let lab: Lab;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  server = await startRedis();
  home = await mkdtemp(join(tmpdir(), 'bnlab-queue-'));
  lab = await openQueueLab(join(home, 'lab'), server.url);
});
afterAll(async () => {
  await lab.close();
  await Promise.all(workers.map((w) => w.close()));
  await server.stop();
  await rm(home, { recursive: true, force: true });
});

const worker = async () => {
  const started = await startWorker({
    redisUrl: server.url,
    home,
    concurrency: 1,
    backend: 'wasm',
    log: () => undefined,
  });
  workers.push(started);
  return started;
};

const metrics = (events: TrainerEvent[]) =>
  events
    .filter((e): e is EventOf<'epoch'> => e.kind === 'epoch')
    .map(({ epoch, trainLoss, trainAccuracy, valLoss, valAccuracy }) => ({
      epoch,
      trainLoss,
      trainAccuracy,
      valLoss,
      valAccuracy,
    }));

/** The same run trained here, uninterrupted: the numbers a resumed run must reproduce. */
async function trainLocally(spec: ExperimentSpec): Promise<TrainerEvent[]> {
  const local = await createLab({ home: join(home, 'local'), mode: 'cli', parallel: 1 });
  try {
    const { runs } = await callLab(local, 'experiments.create', { spec, backend: 'wasm' });
    await local.idle();
    const run = await callLab(local, 'runs.get', { id: runs[0]!.id });
    expect(run.status, run.error ?? '').toBe('completed');
    return await callLab(local, 'runs.events', { id: run.id });
  } finally {
    await local.close();
  }
}

it(
  'a closed worker hands its run back; another resumes it from its last epoch',
  { timeout: 900_000 },
  async () => {
    const first = await worker();
    const spec = ExperimentSpec.parse(
      tinyExperiment({
        variants: [{ name: 'no-bn', width: 0.0625 }],
        training: { ...tinyExperiment().training, epochs: 3 },
      }),
    );
    const closing: { done: Promise<void> | null; afterEpoch: number } = {
      done: null,
      afterEpoch: 0,
    };
    lab.subscribe((push) => {
      if (closing.done || push.name !== 'run.events') return;
      const epoch = push.payload.events.find((e) => e.kind === 'epoch');
      if (epoch) {
        closing.afterEpoch = epoch.epoch;
        closing.done = first.close().then(async () => {
          workers.splice(workers.indexOf(first), 1);
          await worker();
        });
      }
    });
    const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
    const uninterrupted = trainLocally(spec);
    uninterrupted.catch(() => undefined); // awaited below; not unhandled if an earlier check fails
    await lab.idle();
    await closing.done;
    const run = await callLab(lab, 'runs.get', { id: runs[0]!.id });
    expect(run.status, run.error ?? '').toBe('completed');
    const events = await callLab(lab, 'runs.events', { id: run.id });
    const starts = events.filter((e): e is EventOf<'started'> => e.kind === 'started');
    expect(starts).toHaveLength(2);
    // At most the unfinished epoch is trained again: the second worker starts from the last
    // epoch the lab had been told about when the first one closed, or a later one.
    expect(starts[1]!.resumedFromEpoch).toBeGreaterThanOrEqual(closing.afterEpoch);
    expect(events.filter((e) => e.kind === 'epoch').map((e) => e.epoch)).toEqual([1, 2, 3]);
    // Identical metrics to a local run: the checkpoint carried through Redis restores everything.
    expect(metrics(events)).toEqual(metrics(await uninterrupted));
  },
);
