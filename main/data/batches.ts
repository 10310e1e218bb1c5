/**
 * Per-step data work: the seeded epoch order and turning uint8 images into a normalised float
 * batch, with optional seeded augmentation. Runs once per training step, so it avoids per-pixel
 * allocations and branches: normalisation is a 256-entry lookup table per channel.
 */
import seedrandom from 'seedrandom';
import type { AugmentSeed, Batch, ImageSet, LoadedDataset } from './types.js';

/** Zero padding on each side before the random crop (the CIFAR recipe of He et al. 2016). */
export const AUGMENT_PAD = 4;

/**
 * The order in which a run visits `count` training images in `epoch`: a Fisher–Yates shuffle
 * seeded by (seed, epoch), so every variant with the same seed sees the same order.
 */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const rng = seedrandom(`bnlab-order:${seed}:${epoch}`);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

const lutCache = new WeakMap<LoadedDataset, Float32Array>();

/** (v − mean[c]) / std[c] for every byte value v and channel c, laid out as lut[v·C + c]. */
function normalisationTable(dataset: LoadedDataset): Float32Array {
  const cached = lutCache.get(dataset);
  if (cached) return cached;
  const channels = dataset.channels;
  const lut = new Float32Array(256 * channels);
  for (let c = 0; c < channels; c++) {
    const mean = dataset.mean[c] ?? 0;
    // A constant channel (std 0) would divide by zero; it carries no information, so centre only.
    const std = dataset.std[c] || 1;
    for (let v = 0; v < 256; v++) lut[v * channels + c] = (v - mean) / std;
  }
  lutCache.set(dataset, lut);
  return lut;
}

/** Crop offsets in [0, 2·pad] per axis and a flip flag per image, drawn from the augment seed. */
function drawAugmentation(count: number, augment: AugmentSeed): Int32Array {
  const rng = seedrandom(`bnlab-augment:${augment.seed}:${augment.epoch}:${augment.batch}`);
  const span = 2 * AUGMENT_PAD + 1;
  const draws = new Int32Array(count * 3);
  for (let i = 0; i < count; i++) {
    draws[i * 3] = Math.floor(rng() * span);
    draws[i * 3 + 1] = Math.floor(rng() * span);
    draws[i * 3 + 2] = rng() < 0.5 ? 1 : 0;
  }
  return draws;
}

/**
 * A batch of the images of `set` at `indices`, normalised per channel with the dataset's train
 * statistics. With `augment`, each image is padded by 4 black (value 0) pixels, randomly cropped
 * back to its size and flipped horizontally with probability ½; the same seed triple gives the
 * same crops and flips. Throws when an index is outside the set.
 */
export function makeBatch(
  set: ImageSet,
  dataset: LoadedDataset,
  indices: ArrayLike<number>,
  augment: AugmentSeed | null,
): Batch {
  const { height, width, channels } = dataset;
  const imageSize = height * width * channels;
  const rowSize = width * channels;
  const count = indices.length;
  const x = new Float32Array(count * imageSize);
  const labels = new Int32Array(count);
  const lut = normalisationTable(dataset);
  const draws = augment ? drawAugmentation(count, augment) : null;
  // Normalised value of a black padding pixel, per channel.
  const padValue = lut.subarray(0, channels);
  const src = set.images;

  for (let i = 0; i < count; i++) {
    const index = indices[i]!;
    if (!Number.isInteger(index) || index < 0 || index >= set.count) {
      throw new RangeError(`image index ${index} is outside the set of ${set.count} images`);
    }
    labels[i] = set.labels[index]!;
    const srcBase = index * imageSize;
    const dstBase = i * imageSize;
    if (!draws) {
      for (let k = 0; k < imageSize; k += channels) {
        for (let c = 0; c < channels; c++)
          x[dstBase + k + c] = lut[src[srcBase + k + c]! * channels + c]!;
      }
      continue;
    }
    // Output pixel (y, x) reads padded pixel (y + dy, x' + dx), i.e. source (y + dy − pad, …).
    const dy = draws[i * 3]! - AUGMENT_PAD;
    const dx = draws[i * 3 + 1]! - AUGMENT_PAD;
    const flip = draws[i * 3 + 2] === 1;
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      const dstRow = dstBase + y * rowSize;
      const rowInside = sy >= 0 && sy < height;
      for (let xo = 0; xo < width; xo++) {
        const sx = (flip ? width - 1 - xo : xo) + dx;
        const dst = dstRow + xo * channels;
        if (rowInside && sx >= 0 && sx < width) {
          const s = srcBase + sy * rowSize + sx * channels;
          for (let c = 0; c < channels; c++) x[dst + c] = lut[src[s + c]! * channels + c]!;
        } else {
          for (let c = 0; c < channels; c++) x[dst + c] = padValue[c]!;
        }
      }
    }
  }
  return { x, labels, count };
}
