/**
 * The smallest real experiment: MNIST, 2×2×4×4 filters, a few hundred images — seconds per epoch.
 * `overrides.training` is merged into the tiny recipe (a test that sets `epochs` keeps the tiny
 * subsets); other fields replace the defaults.
 */
import type { ExperimentInput, VariantInput } from '../../main/api/config.js';

export function tinyExperiment(
  overrides: Partial<ExperimentInput> = {},
  variants?: VariantInput[],
): ExperimentInput {
  const { training, ...rest } = overrides;
  return {
    name: 'tiny',
    dataset: 'mnist',
    training: {
      epochs: 2,
      batchSize: 32,
      learningRate: 0.05,
      trainSubset: 256,
      validationSubset: 128,
      probeImages: 32,
      progressIntervalMs: 0,
      ...training,
    },
    variants: variants ?? [
      { name: 'no-bn', width: 0.0625 },
      { name: 'bn-before', width: 0.0625, bn: 'before-activation' },
    ],
    ...rest,
  };
}
