import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifarDir } from '../../../../main/data/cifar10.js';
import { datasetStatus, loadDataset } from '../../../../main/data/load.js';
import { parseIdx } from '../../../../main/data/idx.js';
import { writeCifarFixture } from '../../../helpers/cifar-fixture.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bnlab-home-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('MNIST', () => {
  it('loads 60000/10000 28×28×1 images with every digit as a label', async () => {
    const ds = await loadDataset('mnist', { home, validationFraction: 0.1 });
    expect([ds.height, ds.width, ds.channels]).toEqual([28, 28, 1]);
    expect(ds.train.count + ds.validation.count).toBe(60_000);
    expect(ds.validation.count).toBe(6000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.images.length).toBe(ds.train.count * 784);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.test.labels) counts[l]!++;
    // Each digit is 8–12 % of the official test set.
    for (const c of counts) expect(c).toBeGreaterThan(800);
    // Mostly-black digits: mean ≈ 33, std ≈ 79 in pixel units.
    expect(ds.mean[0]).toBeGreaterThan(30);
    expect(ds.mean[0]).toBeLessThan(36);
    expect(ds.std[0]).toBeGreaterThan(75);
    expect(ds.std[0]).toBeLessThan(82);
  });

  it('applies subsets and uses the same validation images for every load', async () => {
    const a = await loadDataset('mnist', {
      home,
      validationFraction: 0.2,
      trainSubset: 500,
      validationSubset: 100,
    });
    const b = await loadDataset('mnist', {
      home,
      validationFraction: 0.2,
      trainSubset: 1000,
      validationSubset: 200,
    });
    expect(a.train.count).toBe(500);
    expect(a.validation.count).toBe(100);
    expect(b.validation.images.subarray(0, 100 * 784)).toEqual(a.validation.images);
    expect(b.train.images.subarray(0, 500 * 784)).toEqual(a.train.images);
  });

  it('rejects a file whose magic number is not IDX unsigned bytes', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'x-idx1-ubyte')).toThrow(
      /x-idx1-ubyte: magic number 0x00000d01/,
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), 'y')).toThrow(
      /y: 10 bytes, expected 13/,
    );
  });
});

describe('CIFAR-10 loading', () => {
  it('explains how to get CIFAR-10 when it is not imported', async () => {
    await expect(loadDataset('cifar10', { home, validationFraction: 0.1 })).rejects.toThrow(
      /CIFAR-10 is not available.*bnlab data download cifar10/,
    );
    const status = await datasetStatus(home);
    expect(status.find((s) => s.name === 'cifar10')?.available).toBe(false);
    expect(status.find((s) => s.name === 'mnist')).toMatchObject({
      available: true,
      trainCount: 60_000,
      testCount: 10_000,
    });
  });

  it('splits the imported set, keeps the test set apart and reports it available', async () => {
    await writeCifarFixture(cifarDir(home), { perBatch: 20 });
    const ds = await loadDataset('cifar10', { home, validationFraction: 0.25 });
    expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
    expect(ds.validation.count).toBe(25);
    expect(ds.train.count).toBe(75);
    expect(ds.test.count).toBe(20);
    expect(ds.classNames[0]).toBe('airplane');
    expect(ds.mean).toHaveLength(3);
    const status = await datasetStatus(home);
    expect(status.find((s) => s.name === 'cifar10')).toMatchObject({
      available: true,
      trainCount: 100,
      testCount: 20,
    });
  });
});
