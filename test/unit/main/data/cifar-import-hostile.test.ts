/**
 * Archives an interrupted download, a careless user or an attacker hands to `data import`
 * (issue 10, defect 3): each must give one clear error and leave nothing in the lab home.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCifar10 } from '../../../../main/data/cifar-import.js';
import { CIFAR_FILES } from '../../../../main/data/cifar10.js';
import type { ExtractLimits } from '../../../../main/data/tar-extract.js';
import { cifarBatchBytes, writeCifarTarGz } from '../../../helpers/cifar-fixture.js';
import { writeHostileTarGz } from '../../../helpers/hostile-tar.js';

const run = promisify(execFile);

let work: string;
let home: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bnlab-hostile-'));
  home = path.join(work, 'home');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Everything under the home, as relative paths: an empty `datasets/` at most. */
async function homeContents(): Promise<string[]> {
  const entries = await readdir(home, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e !== 'datasets');
}

/** The import's error: exactly one, on one line. */
async function importError(source: string, limits?: ExtractLimits): Promise<string> {
  const error = await importCifar10(source, home, undefined, limits ? { limits } : {}).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error, 'the import should fail').toBeInstanceOf(Error);
  expect(error!.message).not.toContain('\n');
  return error!.message;
}

const BATCH = 'cifar-10-batches-bin';

describe('importCifar10 with hostile archives', () => {
  it('a truncated download: "truncated", no half-written files, every time', async () => {
    const archive = path.join(work, 'cifar-10-binary.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 300 });
    const full = (await stat(archive)).size;
    for (const fraction of [0.15, 0.3, 0.45, 0.6, 0.75, 0.9]) {
      await writeCifarTarGz(archive, { perBatch: 300 });
      await truncate(archive, Math.floor(full * fraction));
      expect(await importError(archive)).toMatch(/cifar-10-binary\.tar\.gz is truncated/);
      expect(await homeContents()).toEqual([]);
    }
  });

  it('an entry larger than a batch file is refused before it is written', async () => {
    const archive = path.join(work, 'big-entry.tar.gz');
    await writeHostileTarGz(archive, [{ name: `${BATCH}/data_batch_1.bin`, size: 40_000_000 }]);
    expect(await importError(archive)).toMatch(
      /entry cifar-10-batches-bin\/data_batch_1\.bin is 40000000 bytes, more than the 30730000 allowed/,
    );
    expect(await homeContents()).toEqual([]);
  });

  it('an archive that unpacks without end is cut off at the bound', async () => {
    const archive = path.join(work, 'endless.tar.gz');
    // 64 MB of zeros behind a tiny valid entry (a few hundred KB on disk), against a bound of
    // 16 MB: the real one (256 MB) works the same, only unpacking that much takes seconds.
    await writeHostileTarGz(archive, [{ name: `${BATCH}/readme.html`, size: 10 }], 64 * 2 ** 20);
    const limits = { maxEntryBytes: 30_730_000, maxTotalBytes: 16 * 2 ** 20 };
    expect(await importError(archive, limits)).toMatch(/unpacks to more than 16 MB/);
    expect(await homeContents()).toEqual([]);
  });

  it('a device that never ends (/dev/zero) is refused at once', async () => {
    expect(await importError('/dev/zero')).toMatch(/neither a file nor a folder/);
    expect(await homeContents()).toEqual([]);
  });

  it('a folder whose batch files are pipes is refused, not waited on forever', async () => {
    const folder = path.join(work, 'pipes');
    await mkdir(folder);
    // A writer never comes: copying one of these would block the import for good.
    for (const file of CIFAR_FILES) await run('mkfifo', [path.join(folder, file)]);
    expect(await importError(folder)).toMatch(
      /pipes\/data_batch_1\.bin is not a regular file \(a pipe or a device\)/,
    );
    expect(await homeContents()).toEqual([]);
  });

  it('an entry that climbs out of its folder is refused, and nothing is written anywhere', async () => {
    const archive = path.join(work, 'traversal.tar.gz');
    const batch = cifarBatchBytes(0, 5);
    await writeHostileTarGz(archive, [
      { name: `${BATCH}/../../data_batch_1.bin`, size: batch.length, content: batch },
      { name: `../escaped.bin`, size: batch.length, content: batch },
    ]);
    expect(await importError(archive)).toMatch(/holds an entry outside its folder/);
    expect(await homeContents()).toEqual([]);
    expect((await readdir(work)).sort()).toEqual(['home', 'traversal.tar.gz']);
  });
});
