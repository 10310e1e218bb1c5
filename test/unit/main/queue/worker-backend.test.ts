/**
 * `bnlab worker --backend`: every backend of the trainer chain, webgpu and webgl included (they run
 * in a browser engine the worker's trainers start, so the worker process loads no backend itself).
 * A backend the machine cannot run stops the worker at once with exit 3 and the reason, before it
 * takes any run. Here webgpu runs on Chromium's software adapter (SwiftShader), as CI installs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import type { EventOf, TrainerEvent } from '../../../../main/api/events.js';
import { callLab } from '../../../../main/cli/call.js';
import { connect } from '../../../../main/queue/connection.js';
import { DEFAULT_PREFIX, parseAnnouncements, queueKeys } from '../../../../main/queue/protocol.js';
import { openQueueLab, startWorkerProcess } from '../../../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
const run = promisify(execFile);

let server: TestRedis;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  server = await startRedis();
}, 60_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await server.stop();
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-worker-backend-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

// Chromium's start and SwiftShader's shader compiles: a minute or more on a loaded machine.
describe('bnlab worker --backend', { timeout: 900_000 }, () => {
  it('webgpu: announces the adapter and trains a run that asked for auto on it', async () => {
    const worker = await startWorkerProcess(
      server.url,
      { BNLAB_GPU_ADAPTER: 'software' },
      'webgpu',
    );
    cleanups.push(() => worker.kill('SIGKILL'));
    // SwiftShader is a GPU adapter that computes on the CPU: the row says so.
    expect(worker.output()).toMatch(
      /: webgpu \(software\) \(cpu; @tensorflow\/tfjs-backend-webgpu: webgpu on google swiftshader \(software\)/,
    );

    const lab = await openQueueLab(await tempHome(), server.url);
    cleanups.push(() => lab.close());
    const spec = ExperimentSpec.parse(
      tinyExperiment({
        training: { epochs: 1, trainSubset: 64, validationSubset: 32, probeImages: 8 },
        variants: [{ name: 'bn-before', width: 0.0625, bn: 'before-activation' }],
      }),
    );
    const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'auto' });
    await lab.idle();
    const record = await callLab(lab, 'runs.get', { id: runs[0]!.id });
    expect(record.status).toBe('completed');
    const events: TrainerEvent[] = await callLab(lab, 'runs.events', { id: runs[0]!.id });
    const started = events.find((e): e is EventOf<'started'> => e.kind === 'started');
    expect(started?.backend.name).toBe('webgpu');
    expect(started?.worker).toContain(`pid ${worker.pid})`);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(1);

    // What the lab reads of the workers (bnlab run --redis prints it) names the adapter too.
    const redis = connect(server.url, 'test');
    try {
      const announced = parseAnnouncements(await redis.hvals(queueKeys(DEFAULT_PREFIX).workers));
      expect(announced.map((a) => a.backend)).toContain('webgpu (software)');
    } finally {
      redis.disconnect();
    }
  });

  it('a backend this machine cannot run: exit 3 with the reason, before any run is taken', async () => {
    // No libtensorflow can be installed here: the native packages do not load.
    const failure = await run(
      process.execPath,
      [BIN, '--home', await tempHome(), 'worker', '--redis', server.url, '--backend', 'tensorflow'],
      { timeout: 300_000 },
    ).then(
      () => null,
      (error: { code?: number; stderr?: string; stdout?: string }) => error,
    );
    expect(failure?.code).toBe(3);
    expect(failure?.stderr).toContain('--backend: backend "tensorflow" is not available here');
    expect(failure?.stderr).toMatch(/tfjs-node/);
    expect(failure?.stdout).not.toContain('waiting for runs');
  });
});
