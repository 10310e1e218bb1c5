import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdxFile } from '../../../../main/data/idx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bnlab-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An IDX file of two 2×3 unsigned-byte images. */
function idxBytes(): Buffer {
  const header = Buffer.from([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
  return Buffer.concat([header, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])]);
}

describe('IDX files as the packaged app ships them (gzipped)', () => {
  it('reads a .gz file to the same images as the plain file', async () => {
    await writeFile(path.join(dir, 'images'), idxBytes());
    await writeFile(path.join(dir, 'images.gz'), gzipSync(idxBytes()));
    const plain = await readIdxFile(path.join(dir, 'images'), 3);
    const gzipped = await readIdxFile(path.join(dir, 'images.gz'), 3);
    expect(gzipped.dims).toEqual([2, 2, 3]);
    expect(Array.from(gzipped.data)).toEqual(Array.from(plain.data));
  });
});
