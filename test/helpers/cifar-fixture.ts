/**
 * Small CIFAR-10 files in the exact official binary layout, with pixels known in advance: the
 * label of global record g is g mod 10, and its brightness encodes the label, so a model can learn
 * it. Used by the data tests and by trainer/lab tests that need a CIFAR-10 home.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

const PIXELS = 32 * 32;
const RECORD = 1 + 3 * PIXELS;
export const FIXTURE_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
] as const;

/** Label of record `global` (records numbered across files in FIXTURE_FILES order). */
export function fixtureLabel(global: number): number {
  return global % 10;
}

/** Value of channel `c` (0 R, 1 G, 2 B) of pixel `p` (row-major) of record `global`. */
export function fixturePixel(global: number, p: number, c: number): number {
  return (fixtureLabel(global) * 25 + c * 7 + ((global * 31 + p * 13) % 16)) & 255;
}

/** One batch file's bytes: records `first … first+count-1`, planes R, G, B, each row-major. */
export function cifarBatchBytes(first: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * RECORD);
  for (let r = 0; r < count; r++) {
    const g = first + r;
    const base = r * RECORD;
    bytes[base] = fixtureLabel(g);
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < PIXELS; p++) bytes[base + 1 + c * PIXELS + p] = fixturePixel(g, p, c);
    }
  }
  return bytes;
}

/** Writes the six batch files (`perBatch` records each, default 20) into `dir`, created if needed. */
export async function writeCifarFixture(
  dir: string,
  opts: { perBatch?: number } = {},
): Promise<void> {
  const perBatch = opts.perBatch ?? 20;
  await mkdir(dir, { recursive: true });
  for (const [i, file] of FIXTURE_FILES.entries()) {
    await writeFile(path.join(dir, file), cifarBatchBytes(i * perBatch, perBatch));
  }
}

/**
 * Writes a .tar.gz laid out like the official `cifar-10-binary.tar.gz`: a top folder
 * `cifar-10-batches-bin/` with the six batch files, `batches.meta.txt` and `readme.html`.
 */
export async function writeCifarTarGz(
  file: string,
  opts: { perBatch?: number } = {},
): Promise<void> {
  const staging = `${file}.staging`;
  const inner = path.join(staging, 'cifar-10-batches-bin');
  await writeCifarFixture(inner, opts);
  await writeFile(
    path.join(inner, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  await writeFile(
    path.join(inner, 'readme.html'),
    '<meta HTTP-EQUIV="REFRESH" content="0; url=https://www.cs.toronto.edu/~kriz/cifar.html">\n',
  );
  await tar.create({ gzip: true, file, cwd: staging, portable: true }, ['cifar-10-batches-bin']);
}
