/**
 * The worker's event publisher against a real redis-server, with a hand-driven "trainer": it
 * writes checkpoints into a folder the way the trainer does (keeping only the latest two) and
 * publishes events. Sending lags behind training while Redis is away; no epoch may be lost to
 * that lag, and a send that fails for good is never followed by later epochs or the run's end.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventOf, TrainerEvent } from '../../../../main/api/events.js';
import { fetchCheckpoint, writeCheckpointFolder } from '../../../../main/queue/checkpoint-blob.js';
import { connect } from '../../../../main/queue/connection.js';
import { EventPublisher } from '../../../../main/queue/event-publisher.js';
import { queueKeys } from '../../../../main/queue/protocol.js';
import { checkpointPath } from '../../../../main/trainer/checkpoint.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';

const RUN = '20261202-120000-tiny--bn-before--s1';
let server: TestRedis;
let redis: Redis;
let home: string;

beforeAll(async () => {
  server = await startRedis({ persistent: true });
  redis = connect(server.url, 'bnlab-test');
  home = await mkdtemp(join(tmpdir(), 'bnlab-publisher-'));
}, 60_000);
afterAll(async () => {
  redis.disconnect();
  await server.stop();
  await rm(home, { recursive: true, force: true });
});

const epoch = (n: number): EventOf<'epoch'> => ({
  kind: 'epoch',
  time: n,
  epoch: n,
  trainLoss: 2 - n / 10,
  trainAccuracy: 0.1 * n,
  valLoss: 2 - n / 10,
  valAccuracy: 0.1 * n,
  learningRate: 0.05,
  durationMs: 100,
  imagesPerSecond: 1000,
});
const endProbe = (n: number): EventOf<'probe'> => ({
  kind: 'probe',
  time: n,
  epoch: n,
  step: 8 * n,
  epochEnd: true,
  layers: [],
});
const checkpoint = (n: number) => ({
  epoch: n,
  manifest: JSON.stringify({ epoch: n }),
  weights: Buffer.alloc(64, n),
});

/** The stream's events, as `kind` (and `epoch N` for epoch events), in stream order. */
async function streamed(events: string): Promise<string[]> {
  const entries = await redis.xrange(events, '-', '+');
  return entries.map(([, fields]) => {
    const event = (JSON.parse(fields[1]!) as { event: TrainerEvent }).event;
    return event.kind === 'epoch' ? `epoch ${event.epoch}` : event.kind;
  });
}

it('Redis away while the trainer runs ahead and deletes an epoch’s checkpoint: every epoch reaches the stream', async () => {
  const keys = queueKeys('lag');
  const dir = join(home, 'lag', 'checkpoints');
  const publisher = new EventPublisher(redis, keys, RUN, 'attempt-1', dir);
  await server.kill();
  // Waits for Redis; everything after it waits behind it.
  void publisher.publish({ kind: 'log', time: 0, level: 'info', message: 'while Redis is away' });
  for (const n of [1, 2, 3]) {
    // The trainer writes epoch n's checkpoint (deleting epoch n - 2's), then reports the epoch.
    await writeCheckpointFolder(dir, checkpoint(n));
    await publisher.publish(epoch(n));
    void publisher.publish(endProbe(n));
  }
  void publisher.publish({ kind: 'completed', time: 4, epochsCompleted: 3 });
  // Epoch 1's checkpoint is gone from the trainer's folder before anything was sent.
  expect(existsSync(checkpointPath(dir, 1))).toBe(false);
  await server.restart();
  await publisher.flushed();

  expect(await streamed(keys.events)).toEqual([
    'log',
    'epoch 1',
    'probe',
    'epoch 2',
    'probe',
    'epoch 3',
    'probe',
    'completed',
  ]);
  const kept = await fetchCheckpoint(redis, keys.checkpoint(RUN));
  expect(kept?.epoch).toBe(3);
  expect(kept?.weights).toEqual(checkpoint(3).weights);
});

it('an epoch whose checkpoint cannot be read: nothing after it is sent and the error names it', async () => {
  const keys = queueKeys('unreadable');
  const dir = join(home, 'unreadable', 'checkpoints');
  const publisher = new EventPublisher(redis, keys, RUN, 'attempt-1', dir);
  void publisher.publish({ kind: 'log', time: 0, level: 'info', message: 'before' });
  // No checkpoint of epoch 1 in the folder.
  await publisher.publish(epoch(1));
  void publisher.publish(endProbe(1));
  await writeCheckpointFolder(dir, checkpoint(2));
  await publisher.publish(epoch(2));
  void publisher.publish(endProbe(2));
  void publisher.publish({ kind: 'completed', time: 3, epochsCompleted: 2 });

  await expect(publisher.flushed()).rejects.toThrow(/could not read the checkpoint of epoch 1/);
  // The lab never sees epoch 2 or the run's end after a lost epoch 1.
  expect(await streamed(keys.events)).toEqual(['log']);
  expect(await fetchCheckpoint(redis, keys.checkpoint(RUN))).toBeNull();
});
