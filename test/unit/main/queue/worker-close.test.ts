/**
 * Ctrl-C on a worker hands its run back to the queue at once (no stalled-job wait): another worker
 * continues it from the last checkpoint the first one reported.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import type { EventOf } from '../../../../main/api/events.js';
import { callLab } from '../../../../main/cli/call.js';
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

it('a closed worker hands its run back; another resumes it from its last epoch', async () => {
  const first = await worker();
  const spec = ExperimentSpec.parse(
    tinyExperiment({
      variants: [{ name: 'no-bn', width: 0.0625 }],
      training: { ...tinyExperiment().training, epochs: 3 },
    }),
  );
  const closing: { done: Promise<void> | null } = { done: null };
  lab.subscribe((push) => {
    if (closing.done || push.name !== 'run.events') return;
    if (push.payload.events.some((e) => e.kind === 'epoch')) {
      closing.done = first.close().then(async () => {
        workers.splice(workers.indexOf(first), 1);
        await worker();
      });
    }
  });
  const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
  await lab.idle();
  await closing.done;
  const run = await callLab(lab, 'runs.get', { id: runs[0]!.id });
  expect(run.status).toBe('completed');
  const events = await callLab(lab, 'runs.events', { id: run.id });
  const starts = events.filter((e): e is EventOf<'started'> => e.kind === 'started');
  expect(starts).toHaveLength(2);
  expect(starts[1]!.resumedFromEpoch).toBeGreaterThanOrEqual(1);
  expect(events.filter((e) => e.kind === 'epoch').map((e) => e.epoch)).toEqual([1, 2, 3]);
});
