/**
 * rediss:// against a real TLS redis-server (Debian's is built with TLS) whose certificate a
 * throwaway CA signed (openssl, in a temp folder): a lab and a worker that trust the CA through
 * NODE_EXTRA_CA_CERTS train a run through it; without the CA, test connection says TLS failed and
 * saving the setting names the certificate problem.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callLab } from '../../../../main/cli/call.js';
import { createLab } from '../../../../main/lab/service.js';
import { startWorkerProcess, type WorkerProcess } from '../../../helpers/queue-lab.js';
import { startRedis, type TestRedis } from '../../../helpers/redis-server.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
const PASSWORD = 'tls-pw';

let dir: string;
let redis: TestRedis;
let worker: WorkerProcess | null = null;

/** A CA, and a certificate for 127.0.0.1 signed by it. */
async function makeCertificates(
  folder: string,
): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(folder, name);
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
    ...['-keyout', file('ca.key'), '-out', file('ca.crt'), '-subj', '/CN=bnlab test CA'],
  ]);
  await run('openssl', [
    ...['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('redis.key')],
    ...['-out', file('redis.csr'), '-subj', '/CN=127.0.0.1'],
  ]);
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    ...['x509', '-req', '-in', file('redis.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-out', file('redis.crt'), '-days', '1', '-extfile', file('san.ext')],
  ]);
  return { ca: file('ca.crt'), cert: file('redis.crt'), key: file('redis.key') };
}

let ca: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bnlab-tls-'));
  const files = await makeCertificates(dir);
  ca = files.ca;
  redis = await startRedis({ password: PASSWORD, tls: files });
}, 120_000);
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Redis over TLS (rediss://)', { timeout: 600_000 }, () => {
  it('without the CA: test connection says TLS failed, saving names the certificate', async () => {
    expect(redis.url).toMatch(/^rediss:\/\//);
    const home = await mkdtemp(join(dir, 'lab-'));
    const lab = await createLab({ home, mode: 'browser', settings: { readOnlyReason: null } });
    try {
      const result = await callLab(lab, 'settings.test', { redisUrl: redis.url });
      expect(result.status).toBe('tls-failed');
      expect(result.message).toMatch(/certificate/);
      expect(result.message).not.toContain(PASSWORD);
      // Plain redis:// to the TLS port: no answer a client can read.
      const plain = await callLab(lab, 'settings.test', {
        redisUrl: redis.url.replace('rediss:', 'redis:'),
      });
      expect(plain.status).toBe('unreachable');
      await expect(
        callLab(lab, 'settings.set', { trainOn: 'redis', redisUrl: redis.url }),
      ).rejects.toThrow(/cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*certificate/);
    } finally {
      await lab.close();
    }
  });

  it('a worker and `bnlab run --redis rediss://…` that trust the CA train a run through it', async () => {
    const env = { NODE_EXTRA_CA_CERTS: ca };
    worker = await startWorkerProcess(redis.url, env);
    const home = await mkdtemp(join(dir, 'lab-'));
    const file = join(home, 'tiny.json');
    await writeFile(
      file,
      JSON.stringify(tinyExperiment({ variants: [{ name: 'no-bn', width: 0.0625 }] })),
    );
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        '--home',
        home,
        'run',
        file,
        '--epochs',
        '1',
        '--backend',
        'wasm',
        '--redis',
        redis.url,
      ],
      { env: { ...process.env, ...env }, timeout: 500_000 },
    );
    expect(stdout).toMatch(
      /Queueing on rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+; 1 worker\(s\) listening/,
    );
    expect(stdout).toContain(`pid ${worker.pid})`);
    expect(stdout).not.toContain(PASSWORD);
    const { stdout: list } = await run(process.execPath, [BIN, '--home', home, 'list', '--json']);
    expect(JSON.parse(list)).toMatchObject([{ status: 'completed', epochsCompleted: 1 }]);
  });
});
