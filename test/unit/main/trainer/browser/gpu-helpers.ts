/** Shared set-up of the webgpu/webgl tests: the bundle, tiny specs and seeded batches. */
import { execFileSync } from 'node:child_process';
import { TrainingSpec, VariantSpec } from '../../../../../main/api/config.js';
import type { EngineSpec, HostBatch } from '../../../../../main/trainer/engine/types.js';
import { randomValues } from '../backends/wasm/helpers.js';

/** Builds out/gpu-trainer/ from the current sources (a stale bundle would test old code). */
export function buildGpuBundle(): void {
  execFileSync(process.execPath, ['scripts/build-gpu-trainer.mjs'], { stdio: 'inherit' });
}

export const INPUT = { height: 16, width: 16, channels: 3, classes: 10 };

/** The simple CNN at width ¼ (8/16 filters, 128 dense units), plain SGD. */
export function simpleCnnSpec(bn: boolean): EngineSpec {
  return {
    variant: VariantSpec.parse({ name: 'v', width: 0.25, bn: bn ? 'before-activation' : 'none' }),
    input: INPUT,
    seed: 7,
    training: TrainingSpec.parse({ learningRate: 0.05, momentum: 0.9, batchSize: 8 }),
  };
}

/** A seeded NHWC batch of `count` images with labels 0…9. */
export function seededBatch(count: number, seed: number): HostBatch {
  const { height, width, channels } = INPUT;
  return {
    x: {
      name: 'x',
      shape: [count, height, width, channels],
      dtype: 'float32',
      data: randomValues(count * height * width * channels, seed),
    },
    labels: {
      name: 'labels',
      shape: [count],
      dtype: 'int32',
      data: Int32Array.from({ length: count }, (_, i) => (i * 7 + seed) % 10),
    },
  };
}

/** max |a − b| ÷ max |b| (0 when both are zero): the error relative to the gradient's scale. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
  }
  return scale === 0 ? diff : diff / scale;
}
