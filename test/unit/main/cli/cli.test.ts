import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../../../main/store/index.js';
import { writeCifarTarGz } from '../../../helpers/cifar-fixture.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
let home: string;

type Result = { code: number; stdout: string; stderr: string };

function bnlab(...args: string[]): Promise<Result> {
  return bnlabWith({}, ...args);
}

function bnlabWith(env: Record<string, string>, ...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--home', home, ...args],
      // From the lab home, not the repository: bnlab must not depend on the working directory.
      { timeout: 180_000, cwd: home, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('bnlab CLI', () => {
  it('refuses an invalid experiment file naming the file and the field, with exit code 2 and no run', async () => {
    const file = join(home, 'bad.json');
    await writeFile(
      file,
      JSON.stringify(tinyExperiment({}, [{ name: 'x', bn: 'sideways' } as never])),
    );
    const result = await bnlab('run', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.json.*variants\.0\.bn/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(home, 'runs'))).toBe(false);
  });

  it('refuses a file that is not JSON, saying so', async () => {
    const file = join(home, 'torn.json');
    await writeFile(file, '{"name": "x", "variants": [');
    const result = await bnlab('run', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/torn\.json is not valid JSON/);
  });

  it('runs an experiment file, prints the comparison, and lists the runs as JSON', async () => {
    const file = join(home, 'tiny.json');
    await writeFile(file, JSON.stringify(tinyExperiment()));
    const run = await bnlab('run', file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Without --parallel the machine decides, and the CLI says why.
    expect(run.stdout).toMatch(
      /Training \d+ at once: (one per physical core|memory-bound|one at a time)/,
    );
    expect(run.stdout).toMatch(/no-bn .*completed/);
    expect(run.stdout).toMatch(/bn-before .*completed/);
    expect(run.stdout).toContain('Runs are stored in');

    const list = await bnlab('list', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'backend',
          'bestValAccuracy',
          'epochsCompleted',
          'experiment',
          'id',
          'seed',
          'status',
          'variant',
        ].sort(),
      );
      expect(row).toMatchObject({ status: 'completed', epochsCompleted: 2, seed: 1 });
      expect(row.bestValAccuracy).toBeGreaterThan(0.1);
    }

    const show = await bnlab('show', String(rows[0]!.id));
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/status\s+completed/);

    // Without Chromium a PDF cannot be printed: exit 3, one line that says how to get it.
    const pdf = await bnlabWith(
      { BNLAB_CHROMIUM: '/nonexistent/chromium' },
      'report',
      String(rows[0]!.experiment),
      '--format',
      'pdf',
    );
    expect(pdf.code).toBe(3);
    expect(pdf.stderr.trim().split('\n')).toHaveLength(1);
    expect(pdf.stderr).toMatch(/Chromium/);
  });

  it('imports CIFAR-10 from an archive in the official layout and trains on it', async () => {
    const archive = join(home, 'cifar-10-binary.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 64 });
    const missing = await bnlab('run', 'bn-simple', '--dataset', 'cifar10');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/cifar10 is not available.*bnlab data import/);

    const imported = await bnlab('data', 'import', archive);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /CIFAR-10 imported into .*datasets.cifar10 \(320 training, 64 test images\)/,
    );
    expect(imported.stderr).toMatch(/checksum|MD5/i);

    const file = join(home, 'cifar.json');
    await writeFile(
      file,
      JSON.stringify(
        tinyExperiment(
          {
            name: 'cifar-tiny',
            dataset: 'cifar10',
            training: { epochs: 1, trainSubset: 128, validationSubset: 32, augment: true },
          },
          [{ name: 'resnet', architecture: 'resnet20', width: 0.25, bn: 'before-activation' }],
        ),
      ),
    );
    const run = await bnlab('run', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/resnet .*completed/);
  });

  it('stops a run that another bnlab process is training, leaving it resumable', async () => {
    const file = join(home, 'long.json');
    await writeFile(
      file,
      JSON.stringify(
        tinyExperiment({ name: 'long', training: { epochs: 200 } }, [
          { name: 'solo', width: 0.0625 },
        ]),
      ),
    );
    const training = bnlab('run', file);
    let runId: string | undefined;
    for (let i = 0; i < 300 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const rows = await new RunStore(home).listRuns();
      runId = rows.find(
        (r) => r.experimentName === 'long' && r.status === 'running' && r.epochsCompleted >= 1,
      )?.id;
    }
    expect(runId).toBeDefined();
    const stop = await bnlab('stop', runId!);
    expect(stop.code).toBe(0);
    expect((await training).code).toBe(0);
    const show = JSON.parse((await bnlab('show', runId!, '--json')).stdout) as {
      status: string;
      epochsCompleted: number;
    };
    expect(show.status).toBe('stopped');
    expect(show.epochsCompleted).toBeGreaterThanOrEqual(1);
    expect(show.epochsCompleted).toBeLessThan(200);
  });

  it('says which backends exist and why the native ones do not', async () => {
    const result = await bnlab('doctor');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wasm/);
    expect(result.stdout).toMatch(/tfjs-node-gpu/);
    expect(result.stdout).toMatch(/auto → /);
  });

  it('answers usage errors and unreadable dataset files with exit code 2 and one line', async () => {
    for (const args of [
      ['run', 'bn-simple', '--scale', 'huge'],
      ['run', 'bn-simple', '--epochs', '0'],
      ['run', 'bn-simple', '--train-subset', '0'],
      ['run', 'bn-simple', '--validation-subset', '1.5'],
      ['frobnicate'],
      ['data', 'import', join(home, 'no-such-archive.tar.gz')],
    ]) {
      const result = await bnlab(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^bnlab: /);
    }
    expect((await bnlab('--help')).code).toBe(0);
  });

  it('fails with a one-line reason for an unknown run id', async () => {
    const result = await bnlab('stop', 'no-such-run');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^bnlab: .*no-such-run/);
  });
});
