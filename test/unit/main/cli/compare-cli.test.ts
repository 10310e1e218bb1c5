/**
 * `bnlab compare`: runs of two experiments (stored as a finished lab leaves them) in one report,
 * and a bad run list refused in one line with exit code 2.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../../main/api/events.js';
import { RunStore } from '../../../../main/store/index.js';
import { environment, newExperiment, variant } from '../store/store-fixture.js';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
let home: string;
const ids: string[] = [];

function bnlab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--home', home, ...args],
      { timeout: 120_000, cwd: home },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const epoch = (n: number, valAccuracy: number): TrainerEvent => ({
  kind: 'epoch',
  time: Date.UTC(2026, 10, 1) + n * 60_000,
  epoch: n,
  trainLoss: 1 / n,
  trainAccuracy: valAccuracy + 0.01,
  trainEvalImages: 256,
  valLoss: 1.1 / n,
  valAccuracy,
  learningRate: 0.01,
  durationMs: 60_000,
  imagesPerSecond: 100,
});

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-compare-cli-'));
  const store = new RunStore(home, { onWarning: () => {} });
  // bn-before of one experiment, the no-BN variant of another: only BN differs.
  for (const [name, variantName] of [
    ['cmp-a', 'bn-before'],
    ['cmp-b', 'bn-none'],
  ] as const) {
    const experiment = await store.createExperiment(newExperiment(name));
    const spec = experiment.spec.variants.find((v) => v.name === variantName) ?? variant(name);
    const run = await store.createRun(experiment, { variant: spec, seed: 1, environment });
    await store.appendEvents(run.id, [
      epoch(1, 0.6),
      epoch(2, 0.8),
      { kind: 'completed', time: Date.UTC(2026, 10, 1, 1), epochsCompleted: 2 },
    ]);
    await store.updateRun(run.id, { status: 'completed', epochsCompleted: 2 });
    ids.push(run.id);
  }
  await store.close();
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('bnlab compare', () => {
  it('writes one HTML report of runs from two experiments and says what differs', async () => {
    const out = join(home, 'comparison.html');
    const result = await bnlab('compare', ...ids, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The runs differ in one setting only: batch normalization.');
    expect(result.stdout).toContain(`comparison written to ${out}`);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('Comparison of 2 runs from 2 experiments');
    expect(html).toContain('cmp-a · bn-before · seed 1');
    expect(html).toContain('cmp-b · bn-none · seed 1');
  });

  it('refuses one run, or something that is not a run id, in one line with exit code 2', async () => {
    const one = await bnlab('compare', ids[0]!);
    expect(one.code).toBe(2);
    expect(one.stderr.trim().split('\n')).toHaveLength(1);
    expect(one.stderr).toMatch(/pick at least two runs/);
    const path = await bnlab('compare', ids[0]!, '../../etc/passwd');
    expect(path.code).toBe(2);
    expect(path.stderr).toMatch(/runIds\.1: must be a run id/);
    expect(existsSync(join(home, 'reports'))).toBe(false);
  });
});
