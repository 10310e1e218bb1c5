/**
 * The Redis setting of the app and browser mode (settings.get/set/test), with a real
 * redis-server and a real `bnlab worker`: saved in the lab home and read back by a new lab;
 * switching to Redis sends the next run to a worker and back to this machine trains here, with no
 * restart; an unreachable Redis or a wrong password is a clear answer that changes nothing; a
 * torn settings file leaves the lab training here, with its runs intact.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import { callLab } from '../../../../main/cli/call.js';
import { createLab } from '../../../../main/lab/service.js';
import { settingsReadOnlyReason } from '../../../../main/server/serve.js';
import type { Lab, LabOptions } from '../../../../main/lab/types.js';
import { startWorkerProcess, type WorkerProcess } from '../../../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

const PASSWORD = 'p@ss:w0rd/secret';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

let server: TestRedis;
let worker: WorkerProcess;
beforeAll(async () => {
  server = await startRedis({ password: PASSWORD });
  worker = await startWorkerProcess(server.url);
}, 120_000);
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await server?.stop();
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-settings-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function openLab(home: string, extra: Partial<LabOptions> = {}): Promise<Lab> {
  const lab = await createLab({
    home,
    mode: 'browser',
    parallel: 1,
    pushIntervalMs: 0,
    settings: { readOnlyReason: null },
    ...extra,
  });
  cleanups.push(() => lab.close());
  return lab;
}

/** Trains one tiny run of one epoch; returns its record and events. */
async function trainOne(lab: Lab) {
  const spec = ExperimentSpec.parse(
    tinyExperiment({ variants: [{ name: 'no-bn', width: 0.0625 }] }, undefined),
  );
  spec.training.epochs = 1;
  const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'wasm' });
  await lab.idle();
  const id = runs[0]!.id;
  return {
    run: await callLab(lab, 'runs.get', { id }),
    events: await callLab(lab, 'runs.events', { id }),
  };
}

const unreachableUrl = 'redis://127.0.0.1:1';

describe('the Redis setting', { timeout: 600_000 }, () => {
  it('is saved in the lab home, read back by a new lab, and never returns the password', async () => {
    const home = await tempHome();
    const lab = await openLab(home);
    const fresh = await callLab(lab, 'settings.get', {});
    expect(fresh).toMatchObject({ trainOn: 'local', redisUrl: null, activeTrainOn: 'local' });

    const saved = await callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: server.url });
    expect(saved.trainOn).toBe('redis');
    expect(saved.activeTrainOn).toBe('redis');
    expect(saved.redisUrl).toBe(`redis://:***@127.0.0.1:${server.port}`);
    expect(JSON.stringify(saved)).not.toContain('w0rd');
    // No OS key store in browser mode: the file holds the password, readable by this user only.
    expect(saved.passwordStorage).toBe('file');
    const file = join(home, 'settings.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toMatch(/redis:\/\/:[^@]*@/);
    await lab.close();

    const reopened = await openLab(home);
    const read = await callLab(reopened, 'settings.get', {});
    expect(read).toEqual(saved);
    // The redacted password stands for the saved one, in a test and when saved again.
    const shown = read.redisUrl!;
    expect((await callLab(reopened, 'settings.test', { redisUrl: shown })).status).toBe(
      'reachable',
    );
    const again = await callLab(reopened, 'settings.set', { trainOn: 'local', redisUrl: shown });
    expect(again).toMatchObject({ trainOn: 'local', activeTrainOn: 'local', redisUrl: shown });
  });

  it('switching to Redis sends the next run to a worker; switching back trains it here', async () => {
    const lab = await openLab(await tempHome());
    await callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: server.url });
    const info = await callLab(lab, 'lab.info', {});
    expect(info.parallelReason).toContain(`redis://:***@127.0.0.1:${server.port}`);

    const remote = await trainOne(lab);
    expect(remote.run.status).toBe('completed');
    expect(remote.run.worker).toContain(`pid ${worker.pid})`);
    expect(remote.events.filter((e) => e.kind === 'epoch')).toHaveLength(1);
    expect(remote.events.at(-1)?.kind).toBe('completed');

    await callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: server.url });
    const local = await trainOne(lab);
    expect(local.run.status).toBe('completed');
    expect(local.run.worker).toBeNull();
    expect((await callLab(lab, 'lab.info', {})).parallel).toBe(1);
  });

  it('test connection tells reachable, unreachable, auth failed and a bad URL apart, without the password', async () => {
    const lab = await openLab(await tempHome());
    const test = (redisUrl: string) => callLab(lab, 'settings.test', { redisUrl });

    const ok = await test(server.url);
    expect(ok.status).toBe('reachable');
    expect(ok.workers).toHaveLength(1);
    expect(ok.workers[0]).toContain(`pid ${worker.pid})`);

    const noPassword = await test(`redis://127.0.0.1:${server.port}`);
    expect(noPassword.status).toBe('auth-failed');
    expect(noPassword.message).toContain('requires a password');

    const wrong = await test(`redis://:hunter2@127.0.0.1:${server.port}`);
    expect(wrong.status).toBe('auth-failed');
    expect(wrong.message).not.toContain('hunter2');
    expect(wrong.message).toContain(':***@');

    const down = await test('redis://:hunter2@127.0.0.1:1');
    expect(down.status).toBe('unreachable');
    expect(down.message).toMatch(
      /Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/,
    );

    const bad = await test('http://127.0.0.1:6379');
    expect(bad.status).toBe('invalid-url');
    expect(bad.message).toContain('redis:// or rediss://');
  });

  it('saving an unreachable Redis is refused, changes nothing, and runs still train here', async () => {
    const home = await tempHome();
    const lab = await openLab(home);
    await expect(
      callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: unreachableUrl }),
    ).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*nothing was changed/);
    await expect(
      callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: 'redis://h:port' }),
    ).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(
      callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: null }),
    ).rejects.toThrow(/training through Redis needs a Redis URL/);
    expect(await callLab(lab, 'settings.get', {})).toMatchObject({
      trainOn: 'local',
      redisUrl: null,
      activeTrainOn: 'local',
      problem: null,
    });
    const { run } = await trainOne(lab);
    expect(run.status).toBe('completed');
    expect(run.worker).toBeNull();
  });

  it('a torn settings file: a clear problem, runs train here, the lab keeps its runs', async () => {
    const home = await tempHome();
    const first = await openLab(home);
    const before = await trainOne(first);
    await callLab(first, 'settings.set', { trainOn: 'redis', redisUrl: server.url });
    await first.close();
    const file = join(home, 'settings.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, text.length / 2));

    const lab = await openLab(home);
    const settings = await callLab(lab, 'settings.get', {});
    expect(settings.activeTrainOn).toBe('local');
    expect(settings.problem).toContain(`${file} is not valid JSON`);
    expect(settings.problem).toContain('runs train on this machine');
    expect((await callLab(lab, 'runs.list', {})).map((r) => r.id)).toContain(before.run.id);
    const { run } = await trainOne(lab);
    expect(run.status).toBe('completed');
    expect(run.worker).toBeNull();
    // Saving again repairs the file.
    await callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: null });
    expect((await callLab(lab, 'settings.get', {})).problem).toBeNull();
  });

  it('a saved Redis that is down when the lab opens: runs train here and the view says why', async () => {
    const home = await tempHome();
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({
        version: 1,
        trainOn: 'redis',
        redis: { url: unreachableUrl, password: null },
      }),
    );
    const lab = await openLab(home);
    const settings = await callLab(lab, 'settings.get', {});
    expect(settings).toMatchObject({ trainOn: 'redis', activeTrainOn: 'local' });
    expect(settings.problem).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('a settings file that chooses Redis without a URL: runs train here and the view says why', async () => {
    const home = await tempHome();
    await writeFile(
      join(home, 'settings.json'),
      JSON.stringify({ version: 1, trainOn: 'redis', redis: null }),
    );
    const settings = await callLab(await openLab(home), 'settings.get', {});
    expect(settings).toMatchObject({ trainOn: 'redis', activeTrainOn: 'local' });
    expect(settings.problem).toContain('hold no Redis URL');
  });

  it('is read-only where the lab says so (a bnlab serve on a network address)', async () => {
    expect(settingsReadOnlyReason('127.0.0.1')).toBeNull();
    expect(settingsReadOnlyReason('[::1]')).toBeNull();
    const lab = await openLab(await tempHome(), {
      settings: { readOnlyReason: settingsReadOnlyReason('0.0.0.0') },
    });
    expect((await callLab(lab, 'settings.get', {})).readOnlyReason).toContain('0.0.0.0');
    await expect(
      callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: server.url }),
    ).rejects.toThrow(/settings are read-only: bnlab serve listens on 0\.0\.0\.0/);
    await expect(callLab(lab, 'settings.test', { redisUrl: server.url })).rejects.toThrow(
      /read-only/,
    );
  });

  it('a lab started with --redis shows that Redis, redacted and read-only', async () => {
    const lab = await createLab({ home: await tempHome(), mode: 'cli', queueUrl: server.url });
    cleanups.push(() => lab.close());
    const view = await callLab(lab, 'settings.get', {});
    expect(view).toMatchObject({
      trainOn: 'redis',
      activeTrainOn: 'redis',
      redisUrl: `redis://:***@127.0.0.1:${server.port}`,
    });
    expect(view.readOnlyReason).toContain('--redis');
    await expect(
      callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: null }),
    ).rejects.toThrow(/read-only/);
  });
});
