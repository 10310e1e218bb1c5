/**
 * A tiny, learnable, seeded dataset in the shape the data layer returns, for trainer tests: each
 * class lights a different horizontal band of the image on top of uniform noise, so a small CNN
 * can learn it in a few steps and the losses move.
 */
import seedrandom from 'seedrandom';
import type { ImageSet, LoadedDataset } from '../../main/data/types.js';

export interface SyntheticOptions {
  height?: number;
  width?: number;
  channels?: number;
  classes?: number;
  train?: number;
  validation?: number;
  test?: number;
  seed?: number;
}

/** Builds a `LoadedDataset` of synthetic uint8 images (NHWC) with labels 0…classes−1. */
export function syntheticDataset(options: SyntheticOptions = {}): LoadedDataset {
  const height = options.height ?? 8;
  const width = options.width ?? 8;
  const channels = options.channels ?? 1;
  const classes = options.classes ?? 4;
  const rng = seedrandom(`synthetic:${options.seed ?? 1}`);
  const makeSet = (count: number): ImageSet => {
    const images = new Uint8Array(count * height * width * channels);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % classes;
      labels[i] = label;
      const bandStart = Math.floor((label * height) / classes);
      const bandEnd = Math.floor(((label + 1) * height) / classes);
      for (let y = 0; y < height; y++) {
        const lit = y >= bandStart && y < bandEnd;
        for (let x = 0; x < width; x++) {
          for (let c = 0; c < channels; c++) {
            const noise = Math.floor(rng() * 96);
            images[((i * height + y) * width + x) * channels + c] = lit ? 150 + noise : noise;
          }
        }
      }
    }
    return { images, labels, count };
  };
  const train = makeSet(options.train ?? 64);
  const validation = makeSet(options.validation ?? 32);
  const test = makeSet(options.test ?? 16);
  const { mean, std } = channelStats(train, channels);
  return {
    name: 'mnist',
    height,
    width,
    channels,
    classNames: Array.from({ length: classes }, (_, i) => `class-${i}`),
    train,
    validation,
    test,
    mean,
    std,
  };
}

function channelStats(set: ImageSet, channels: number): { mean: number[]; std: number[] } {
  const sum = new Array<number>(channels).fill(0);
  const sumSq = new Array<number>(channels).fill(0);
  const n = set.images.length / channels;
  set.images.forEach((v, i) => {
    const c = i % channels;
    sum[c] = (sum[c] ?? 0) + v;
    sumSq[c] = (sumSq[c] ?? 0) + v * v;
  });
  const mean = sum.map((s) => s / n);
  const std = sumSq.map((s, c) => Math.sqrt(Math.max(s / n - (mean[c] ?? 0) ** 2, 1e-6)));
  return { mean, std };
}
