/**
 * What the data layer gives the trainer. Images stay uint8 (NHWC, row-major) until a batch is
 * made; normalisation and augmentation happen per batch, seeded, so every variant and seed of an
 * experiment sees the same data order and the same augmentation.
 */
import type { DatasetName } from '../api/config.js';

/** `count` images of height × width × channels bytes each, NHWC, and one label byte per image. */
export interface ImageSet {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface LoadedDataset {
  readonly name: DatasetName;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classNames: readonly string[];
  /** Training split after the validation images were carved out (and `trainSubset` applied). */
  readonly train: ImageSet;
  readonly validation: ImageSet;
  readonly test: ImageSet;
  /** Per-channel mean and standard deviation of `train`, in pixel units (0–255). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface LoadOptions {
  /** Lab home: CIFAR-10 lives in `<home>/datasets/cifar10/`. */
  readonly home: string;
  readonly validationFraction: number;
  readonly trainSubset?: number | undefined;
  readonly validationSubset?: number | undefined;
}

/** A normalised batch ready to become tensors: x is NHWC float32, labels are class indices. */
export interface Batch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** Seeds for one batch's augmentation; the same triple always gives the same crops and flips. */
export interface AugmentSeed {
  readonly seed: number;
  readonly epoch: number;
  readonly batch: number;
}
