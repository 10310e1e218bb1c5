/**
 * What a careless user types or leaves on disk (issue 10, defects 6 and 7): each is refused or
 * reported in one line that names the field or file, with exit code 2 for bad input, and nothing
 * is created first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import { RunStore } from '../../../../main/store/index.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';
import { environment } from '../store/store-fixture.js';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
let home: string;

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

/** Exit code 2 and exactly one `bnlab: …` line on stderr, with no control characters. */
function expectOneLineRefusal(result: { code: number; stderr: string }, what: string): string {
  expect(result.code, what).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, what).toHaveLength(1);
  expect(lines[0], what).toMatch(/^bnlab: [\x20-\x7e\u00a0-\uffff]*$/u);
  expect(
    [...lines[0]!].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f'),
    what,
  ).toBe(false);
  return lines[0]!;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-inputs-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('bnlab refuses bad input before creating anything', () => {
  it('ResNet-20 with BN after the activation', async () => {
    const file = join(home, 'resnet-after.json');
    const spec = tinyExperiment({}, [
      { name: 'r', architecture: 'resnet20', bn: 'after-activation' },
    ]);
    await writeFile(file, JSON.stringify(spec));
    const line = expectOneLineRefusal(await bnlab('run', file), 'resnet20 after-activation');
    expect(line).toMatch(/resnet-after\.json.*variants\.0\.bn.*resnet20/);
    expect(existsSync(join(home, 'runs'))).toBe(false);
    expect(existsSync(join(home, 'experiments'))).toBe(false);
    // The same rule answers the API (the new-experiment form validates through it).
    expect(ExperimentSpec.safeParse(spec).success).toBe(false);
  });

  it('numbers that are not plain decimal, and ports out of range', async () => {
    for (const args of [
      ['run', 'bn-simple', '--epochs', '0x10'],
      ['run', 'bn-simple', '--epochs', '1e2'],
      ['run', 'bn-simple', '--epochs', '1001'],
      ['run', 'bn-simple', '--seeds', '21'],
      ['serve', '--port', '70000'],
    ]) {
      expectOneLineRefusal(await bnlab(...args), args.join(' '));
    }
    expect(existsSync(join(home, 'runs'))).toBe(false);
  });

  it('a lab home that is a device or a file', async () => {
    const file = join(home, 'a-file');
    await writeFile(file, 'not a folder');
    for (const bad of ['/dev/null', file, join(file, 'below')]) {
      const line = expectOneLineRefusal(await bnlab('--home', bad, 'list'), bad);
      expect(line).toContain(`cannot use ${bad} as the lab home`);
    }
  });

  it('accepts a UTF-8 byte order mark, and says where plain text is not JSON', async () => {
    const bom = join(home, 'bom.json');
    // Invalid on purpose (an unknown bn), so the test sees the schema's answer without training.
    const spec = tinyExperiment({}, [{ name: 'x', bn: 'sideways' as never }]);
    await writeFile(bom, `\uFEFF${JSON.stringify(spec)}`);
    expect(expectOneLineRefusal(await bnlab('run', bom), 'BOM')).toMatch(/variants\.0\.bn/);

    const junk = join(home, 'junk.json');
    await writeFile(junk, Buffer.from('{"name":\n"x",\u0000\u0007\u001b[31m\nnot json\n'));
    const line = expectOneLineRefusal(await bnlab('run', junk), 'not JSON');
    expect(line).toMatch(/junk\.json is not valid JSON: unexpected character U\+0000/);
  });
});

describe('a corrupt run on disk stays confined to that run', () => {
  it('show names its file; list skips it with one warning; the other run is still listed', async () => {
    const store = new RunStore(home, { onWarning: () => undefined });
    const experiment = await store.createExperiment({
      name: 'kept',
      preset: null,
      scale: null,
      spec: ExperimentSpec.parse(tinyExperiment({ name: 'kept' })),
      backendRequested: 'auto',
    });
    const [a, b] = experiment.spec.variants;
    const good = await store.createRun(experiment, { variant: a!, seed: 1, environment });
    const bad = await store.createRun(experiment, { variant: b!, seed: 1, environment });
    await store.updateRun(good.id, { status: 'completed', pid: null });
    await writeFile(join(home, 'runs', bad.id, 'run.json'), '{"schemaVersion": 1, "id": 7}');

    const show = await bnlab('show', bad.id);
    expect(show.code).not.toBe(0);
    expect(show.stderr).toMatch(new RegExp(`${bad.id}/run\\.json is invalid: `));
    expect(show.stderr).not.toMatch(/no run or experiment/);

    const list = await bnlab('list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id)).toEqual([good.id]);
    expect(list.stderr.match(/skipped run/g)).toHaveLength(1);
  });
});
