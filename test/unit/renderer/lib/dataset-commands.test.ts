/**
 * The command the Datasets view tells the user to copy, run as shown (its words, then a path in
 * place of the placeholder) through the real `bnlab` against a small CIFAR-10 archive in the
 * official layout.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CIFAR_IMPORT_ARGUMENT,
  CIFAR_IMPORT_COMMAND,
} from '../../../../renderer/lib/dataset-commands.js';
import { writeCifarTarGz } from '../../../helpers/cifar-fixture.js';

const BIN = fileURLToPath(new URL('../../../../bin/bnlab.js', import.meta.url));
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-dataset-command-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs a displayed command line (first word `bnlab`) with BNLAB_HOME set to the test home. */
function runShown(words: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  expect(words[0]).toBe('bnlab');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...words.slice(1)],
      { timeout: 180_000, cwd: home, env: { ...process.env, BNLAB_HOME: home } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the Datasets view’s import command', () => {
  test('run as shown, with the archive’s path for the placeholder, it imports CIFAR-10', async () => {
    expect(CIFAR_IMPORT_ARGUMENT).toMatch(/^<.*cifar-10-binary\.tar\.gz>$/);
    const archive = join(home, 'cifar-10-binary.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 16 });

    const imported = await runShown([...CIFAR_IMPORT_COMMAND.split(' '), archive]);
    expect(imported.stderr).not.toMatch(/too many arguments/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /CIFAR-10 imported into .*cifar10 \(80 training, 16 test images\)/,
    );

    const list = await runShown(['bnlab', 'data', 'list']);
    expect(list.stdout).toMatch(/cifar10: available/);
  });
});
