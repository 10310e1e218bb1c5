import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeCifarBatch, readCifar10 } from '../../../../main/data/cifar10.js';
import { fixtureLabel, fixturePixel, writeCifarFixture } from '../../../helpers/cifar-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bnlab-cifar-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CIFAR-10 reader', () => {
  it('turns the R, G, B planes into interleaved NHWC pixels', () => {
    const record = new Uint8Array(3073);
    record[0] = 3;
    // Pixel (0, 0) pure red; pixel (0, 1) pure green; pixel (31, 31) pure blue.
    record[1 + 0] = 255;
    record[1 + 1024 + 1] = 255;
    record[1 + 2048 + 1023] = 255;
    const set = decodeCifarBatch(record, 'one.bin');
    expect(set.count).toBe(1);
    expect(set.labels[0]).toBe(3);
    expect([...set.images.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...set.images.subarray(3, 6)]).toEqual([0, 255, 0]);
    expect([...set.images.subarray(1023 * 3, 1024 * 3)]).toEqual([0, 0, 255]);
    expect(set.images.reduce((a, b) => a + b, 0)).toBe(3 * 255);
  });

  it('reads a folder of batch files with known pixels', async () => {
    await writeCifarFixture(dir, { perBatch: 7 });
    const { train, test } = await readCifar10(dir);
    expect(train.count).toBe(35);
    expect(test.count).toBe(7);
    for (const g of [0, 8, 34]) {
      expect(train.labels[g]).toBe(fixtureLabel(g));
      for (const p of [0, 33, 1023]) {
        for (let c = 0; c < 3; c++)
          expect(train.images[g * 3072 + p * 3 + c]).toBe(fixturePixel(g, p, c));
      }
    }
    expect(test.labels[2]).toBe(fixtureLabel(37));
    expect(test.images[2 * 3072 + 5 * 3 + 1]).toBe(fixturePixel(37, 5, 1));
  });

  it('rejects a truncated file, naming it and the expected size', async () => {
    await writeCifarFixture(dir, { perBatch: 4 });
    await truncate(path.join(dir, 'data_batch_3.bin'), 4 * 3073 - 100);
    await expect(readCifar10(dir)).rejects.toThrow(
      /data_batch_3\.bin is 12192 bytes.*expected 30730000 bytes \(10000 records × 3073 bytes\)/,
    );
  });

  it('rejects a file cut at a record boundary because it is shorter than the others', async () => {
    await writeCifarFixture(dir, { perBatch: 4 });
    await truncate(path.join(dir, 'test_batch.bin'), 3 * 3073);
    await expect(readCifar10(dir)).rejects.toThrow(
      /test_batch\.bin holds 3 records but data_batch_1\.bin holds 4/,
    );
  });

  it('rejects a label above 9, naming the file and record', async () => {
    await writeCifarFixture(dir, { perBatch: 4 });
    const bytes = new Uint8Array(4 * 3073);
    bytes[2 * 3073] = 10;
    await writeFile(path.join(dir, 'data_batch_2.bin'), bytes);
    await expect(readCifar10(dir)).rejects.toThrow(/data_batch_2\.bin: record 2 .* label 10/);
  });

  it('names a missing file', async () => {
    await writeCifarFixture(dir, { perBatch: 2 });
    await rm(path.join(dir, 'data_batch_5.bin'));
    await expect(readCifar10(dir)).rejects.toThrow(/data_batch_5\.bin is missing/);
  });
});
