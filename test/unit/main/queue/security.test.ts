/**
 * The queue's security boundary: Redis URLs with passwords and TLS, a password-protected Redis,
 * and a worker that trains only runs which validate against the API schema.
 */
import { Queue, QueueEvents } from 'bullmq';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import {
  assertReachable,
  connect,
  redactUrl,
  redisOptions,
} from '../../../../main/queue/connection.js';
import { QUEUE_NAME, queueKeys } from '../../../../main/queue/protocol.js';
import { startWorker, type RunningWorker } from '../../../../main/queue/worker.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

describe('Redis URLs', () => {
  it('takes a user, a password (URL-encoded) and a database, and turns on TLS for rediss://', () => {
    expect(redisOptions('redis://lab:p%40ss@box:6380/2')).toMatchObject({
      host: 'box',
      port: 6380,
      username: 'lab',
      password: 'p@ss',
      db: 2,
    });
    expect(redisOptions('redis://box').tls).toBeUndefined();
    expect(redisOptions('rediss://:secret@box:6390')).toMatchObject({
      password: 'secret',
      tls: { servername: 'box' },
    });
  });

  it('refuses other schemes and never prints the password', () => {
    expect(() => redisOptions('http://box:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => redisOptions('redis://box/x')).toThrow(/database .* number/);
    expect(redactUrl('redis://:hunter2@box:6379')).toBe('redis://:***@box:6379');
    expect(redactUrl('rediss://lab:hunter2@box')).toBe('rediss://lab:***@box');
  });
});

describe('a password-protected Redis', () => {
  let server: TestRedis;
  let workerHome: string;
  let worker: RunningWorker | null = null;
  beforeAll(async () => {
    server = await startRedis({ password: 's3cret/pw' });
    workerHome = await mkdtemp(join(tmpdir(), 'bnlab-worker-home-'));
  });
  afterAll(async () => {
    await worker?.close();
    await server.stop();
    await rm(workerHome, { recursive: true, force: true });
  });

  it('is reached with the password, and refused without it, saying why', async () => {
    const good = connect(server.url, 'test');
    await expect(assertReachable(good, server.url)).resolves.toBeUndefined();
    good.disconnect();
    const anonymousUrl = `redis://127.0.0.1:${server.port}`;
    const anonymous = connect(anonymousUrl, 'test');
    await expect(assertReachable(anonymous, anonymousUrl, 3000)).rejects.toThrow(
      /NOAUTH|cannot reach/,
    );
    anonymous.disconnect();
  });

  it('a worker fails a job whose run does not validate, without training it or making a path', async () => {
    worker = await startWorker({
      redisUrl: server.url,
      home: workerHome,
      concurrency: 1,
      backend: 'wasm',
      log: () => undefined,
    });
    const connection = redisOptions(server.url);
    const queue = new Queue(QUEUE_NAME, { connection, prefix: 'bnlab' });
    const events = new QueueEvents(QUEUE_NAME, { connection, prefix: 'bnlab' });
    await events.waitUntilReady();
    const spec = ExperimentSpec.parse(tinyExperiment());
    const config = {
      runId: '20261202-000000-tiny--no-bn--s1',
      experimentId: '20261202-000000-tiny',
      experimentName: 'tiny',
      dataset: 'mnist',
      variant: spec.variants[0],
      seed: 1,
      training: spec.training,
      backend: 'wasm',
    };
    const failures = new Map<string, string>();
    const settled = new Promise<void>((resolve) =>
      events.on('failed', ({ jobId, failedReason }) => {
        failures.set(jobId, failedReason);
        if (failures.size === 2) resolve();
      }),
    );
    const tempBefore = (await readdir(tmpdir())).filter((n) => n.startsWith('bnlab-worker-'));
    // A run id that would escape a folder, and a variant the API does not know.
    await queue.add(
      'train',
      { config: { ...config, runId: '../../etc' }, resumeFromEpoch: 0 },
      { jobId: 'bad-id' },
    );
    await queue.add(
      'train',
      {
        config: { ...config, variant: { ...config.variant, architecture: 'rm -rf' } },
        resumeFromEpoch: 0,
      },
      { jobId: 'bad-architecture' },
    );
    await settled;
    expect(failures.get('bad-id')).toMatch(/not a valid run: .*config\.runId/);
    expect(failures.get('bad-architecture')).toMatch(/not a valid run: .*architecture/);
    // Nothing was trained: no event reached the lab's stream, no training folder was made.
    const redis = connect(server.url, 'test');
    expect(await redis.xlen(queueKeys('bnlab').events)).toBe(0);
    redis.disconnect();
    const tempAfter = (await readdir(tmpdir())).filter((n) => n.startsWith('bnlab-worker-'));
    expect(tempAfter.filter((n) => !n.startsWith('bnlab-worker-home-'))).toEqual(
      tempBefore.filter((n) => !n.startsWith('bnlab-worker-home-')),
    );
    await queue.close();
    await events.close();
  });
});
