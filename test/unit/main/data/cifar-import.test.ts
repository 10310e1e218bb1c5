import { createHash } from 'node:crypto';
import { readFile, mkdtemp, readdir, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadCifar10 } from '../../../../main/data/cifar-download.js';
import { importCifar10, type DatasetProgress } from '../../../../main/data/cifar-import.js';
import { cifarDir, readCifar10 } from '../../../../main/data/cifar10.js';
import {
  fixturePixel,
  writeCifarFixture,
  writeCifarTarGz,
} from '../../../helpers/cifar-fixture.js';

let work: string;
let home: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bnlab-import-'));
  home = path.join(work, 'home');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const md5 = async (file: string) =>
  createHash('md5')
    .update(await readFile(file))
    .digest('hex');
/** What is left in `<home>/datasets` besides the dataset itself: staging folders would show here. */
const leftovers = async () =>
  (await readdir(path.join(home, 'datasets'))).filter((n) => n !== 'cifar10');

describe('importCifar10', () => {
  it('imports a folder of batch files', async () => {
    const src = path.join(work, 'src');
    await writeCifarFixture(src, { perBatch: 6 });
    const result = await importCifar10(src, home);
    expect(result).toMatchObject({
      location: cifarDir(home),
      trainCount: 30,
      testCount: 6,
      md5: null,
      warnings: [],
    });
    const { train } = await readCifar10(cifarDir(home));
    expect(train.images[13 * 3072 + 100 * 3 + 2]).toBe(fixturePixel(13, 100, 2));
    expect(await leftovers()).toEqual([]);
  });

  it('imports a tar.gz in the official layout and warns that its checksum is not the official one', async () => {
    const archive = path.join(work, 'cifar-10-binary.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 5 });
    const phases: DatasetProgress['phase'][] = [];
    const result = await importCifar10(archive, home, (p) => phases.push(p.phase));
    expect(result.trainCount).toBe(25);
    expect(result.md5).toBe(await md5(archive));
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/not the official c32a1d4ab5d03f1284b67883e8d87530/);
    expect(phases).toContain('verify');
    expect(phases).toContain('extract');
    expect(phases.at(-1)).toBe('done');
    expect((await readdir(cifarDir(home))).sort()).toEqual([
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]);
  });

  it('refuses a checksum mismatch when asked to be strict, and keeps the previous import', async () => {
    const old = path.join(work, 'old');
    await writeCifarFixture(old, { perBatch: 3 });
    await importCifar10(old, home);
    const archive = path.join(work, 'other.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 5 });
    await expect(importCifar10(archive, home, undefined, { strictMd5: true })).rejects.toThrow(
      /other\.tar\.gz has MD5 [0-9a-f]{32}, not the official .*corrupt/,
    );
    expect((await readCifar10(cifarDir(home))).train.count).toBe(15);
    expect(await leftovers()).toEqual([]);
  });

  it('leaves nothing behind when the source has a truncated file', async () => {
    const src = path.join(work, 'src');
    await writeCifarFixture(src, { perBatch: 4 });
    await truncate(path.join(src, 'data_batch_4.bin'), 1000);
    await expect(importCifar10(src, home)).rejects.toThrow(
      /data_batch_4\.bin is 1000 bytes.*30730000/,
    );
    expect(await readdir(path.join(home, 'datasets'))).toEqual([]);
  });

  it('rejects an archive that is not a tar.gz, and a folder without batch files', async () => {
    const junk = path.join(work, 'junk.tar.gz');
    await writeFile(junk, 'not an archive at all');
    await expect(importCifar10(junk, home)).rejects.toThrow(/junk\.tar\.gz/);
    // The Python version of CIFAR-10 has the same batch names without `.bin`.
    await mkdir(path.join(work, 'py', 'cifar-10-batches-py'), { recursive: true });
    await writeFile(path.join(work, 'py', 'cifar-10-batches-py', 'data_batch_1'), 'pickle');
    await tar.create(
      { gzip: true, file: path.join(work, 'cifar-10-python.tar.gz'), cwd: path.join(work, 'py') },
      ['cifar-10-batches-py'],
    );
    await expect(importCifar10(path.join(work, 'cifar-10-python.tar.gz'), home)).rejects.toThrow(
      /data_batch_1\.bin is missing from cifar-10-python\.tar\.gz: expected the binary version/,
    );
    await mkdir(path.join(work, 'empty'));
    await expect(importCifar10(path.join(work, 'empty'), home)).rejects.toThrow(
      /holds no CIFAR-10 batch files/,
    );
    await expect(importCifar10(path.join(work, 'nope'), home)).rejects.toThrow(
      /nope does not exist/,
    );
    expect(await readdir(path.join(home, 'datasets'))).toEqual([]);
  });
});

describe('downloadCifar10', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  async function serve(file: string): Promise<string> {
    const bytes = await readFile(file);
    server = createServer((req, res) => {
      if (req.url !== '/cifar-10-binary.tar.gz') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-length': String(bytes.length),
        'content-type': 'application/gzip',
      });
      res.end(bytes);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('downloads with progress, checks the checksum and imports', async () => {
    const archive = path.join(work, 'served.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 8 });
    const base = await serve(archive);
    const progress: DatasetProgress[] = [];
    const result = await downloadCifar10(home, (p) => progress.push(p), {
      url: `${base}/cifar-10-binary.tar.gz`,
      expectedMd5: await md5(archive),
    });
    expect(result).toMatchObject({ trainCount: 40, testCount: 8, warnings: [] });
    const size = (await readFile(archive)).length;
    expect(progress.filter((p) => p.phase === 'download').at(-1)).toMatchObject({
      receivedBytes: size,
      totalBytes: size,
    });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a download whose checksum differs and imports nothing', async () => {
    const archive = path.join(work, 'served.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 2 });
    const base = await serve(archive);
    await expect(
      downloadCifar10(home, () => {}, { url: `${base}/cifar-10-binary.tar.gz` }),
    ).rejects.toThrow(/MD5 [0-9a-f]{32}, expected c32a1d4ab5d03f1284b67883e8d87530: it is corrupt/);
    expect(await readdir(path.join(home, 'datasets'))).toEqual([]);
  });

  it('says what to do when the server cannot be reached', async () => {
    // A listening-then-closed port on 127.0.0.1 refuses connections, like a machine offline.
    const placeholder = path.join(work, 'placeholder');
    await writeFile(placeholder, 'x');
    const base = await serve(placeholder);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    await expect(
      downloadCifar10(home, () => {}, { url: `${base}/cifar-10-binary.tar.gz` }),
    ).rejects.toThrow(
      /could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — download the file elsewhere .* and run `bnlab data import <file>`/,
    );
    // An unresolvable host (the .invalid top-level domain never resolves).
    await expect(
      downloadCifar10(home, () => {}, { url: 'https://cifar.invalid/cifar-10-binary.tar.gz' }),
    ).rejects.toThrow(/could not reach cifar\.invalid/);
  });

  it('reports an HTTP error with its status', async () => {
    const archive = path.join(work, 'served.tar.gz');
    await writeCifarTarGz(archive, { perBatch: 2 });
    const base = await serve(archive);
    await expect(
      downloadCifar10(home, () => {}, { url: `${base}/missing.tar.gz` }),
    ).rejects.toThrow(/answered 404/);
  });
});
