/**
 * Inference-mode evaluation of a split (validation, and the fixed training subset whose numbers are
 * an epoch's train loss/accuracy) through a tensor engine, and the host batches the driver makes.
 */
import seedrandom from 'seedrandom';
import { makeBatch } from '../data/batches.js';
import type { ImageSet, LoadedDataset } from '../data/types.js';
import type { HostBatch, TensorEngine } from './engine/types.js';

/** Images per evaluation batch (inference only, so larger than a training batch). */
const EVAL_BATCH = 256;

/**
 * The training images evaluated at every epoch end: `wanted` indices of a split of `count` images,
 * drawn by a fixed seed (not the run's), so every run of an experiment is measured on the same
 * images; in ascending order; all of them when the split is not larger.
 */
export function trainEvalIndices(count: number, wanted: number): Uint32Array {
  if (wanted >= count) return range(0, count);
  const rng = seedrandom('bnlab-train-eval');
  const pool = range(0, count);
  // A partial Fisher–Yates shuffle: the first `wanted` slots are a uniform sample.
  for (let i = 0; i < wanted; i++) {
    const j = i + Math.floor(rng() * (count - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, wanted).sort();
}

/**
 * Mean loss and accuracy of `indices` of a split (all of it when absent) in inference mode — BN
 * with its moving statistics, no dropout; (0, 0) for no images.
 */
export async function evaluate(
  engine: TensorEngine,
  set: ImageSet,
  dataset: LoadedDataset,
  indices: Uint32Array = range(0, set.count),
): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < indices.length; start += EVAL_BATCH) {
    const result = await engine.evaluate(
      toHost(set, dataset, indices.subarray(start, start + EVAL_BATCH)),
    );
    lossSum += result.lossSum;
    correct += result.correct;
  }
  if (indices.length === 0) return { loss: 0, accuracy: 0 };
  // A diverged-but-not-caught loss must still fit the event schema.
  const loss = lossSum / indices.length;
  return {
    loss: Number.isFinite(loss) ? loss : Number.MAX_VALUE,
    accuracy: correct / indices.length,
  };
}

/** A batch of a split as plain arrays (x NHWC float32, labels int32), seeded augmentation or none. */
export function toHost(
  set: ImageSet,
  dataset: LoadedDataset,
  indices: ArrayLike<number>,
  augment: { seed: number; epoch: number; batch: number } | null = null,
): HostBatch {
  const batch = makeBatch(set, dataset, indices, augment);
  return {
    x: {
      name: 'x',
      shape: [batch.count, dataset.height, dataset.width, dataset.channels],
      dtype: 'float32',
      data: batch.x,
    },
    labels: { name: 'labels', shape: [batch.count], dtype: 'int32', data: batch.labels },
  };
}

export function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}
