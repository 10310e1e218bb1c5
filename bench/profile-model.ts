/**
 * Per-kernel profile of one training step of a project model (`tsx bench/profile-model.ts
 * [simple-cnn|deeper-cnn|resnet20] [--bn]`), as tfjs's profiler reports it on wasm. A project
 * kernel that calls other kernels is listed with its total, and its inner kernels too.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { TrainingSpec, VariantSpec, Architecture } from '../main/api/config.js';
import { registerWasmTrainingKernels } from '../main/trainer/backends/wasm/index.js';
import '../main/trainer/gradients.js';
import { buildModel } from '../main/trainer/models/index.js';
import { createTrainer } from '../main/trainer/train-step.js';

const arch = Architecture.parse(
  process.argv.find((a) => !a.startsWith('-') && Architecture.safeParse(a).success) ?? 'simple-cnn',
);
const bn = process.argv.includes('--bn');
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const model = buildModel(
  VariantSpec.parse({ name: 'p', architecture: arch, bn: bn ? 'before-activation' : 'none' }),
  { height: 32, width: 32, channels: 3, classes: 10 },
  1,
);
const trainer = createTrainer(model, TrainingSpec.parse({}), 1);
const x = tf.randomUniform<tf.Rank.R4>([64, 32, 32, 3], 0, 1, 'float32', 1);
const labels = tf.tensor1d(
  Array.from({ length: 64 }, (_, i) => i % 10),
  'int32',
);
for (let i = 0; i < 2; i++) await trainer.step(x, labels, i);
const t0 = performance.now();
for (let i = 0; i < 3; i++) await trainer.step(x, labels, i);
const stepMs = (performance.now() - t0) / 3;
const info = await tf.profile(async () => {
  await trainer.step(x, labels, 9);
});
const byName = new Map<string, { ms: number; count: number }>();
for (const k of info.kernels) {
  const e = byName.get(k.name) ?? { ms: 0, count: 0 };
  e.ms += Number(k.kernelTimeMs);
  e.count += 1;
  byName.set(k.name, e);
}
console.log(
  `${arch}${bn ? ' +BN' : ''}: ${stepMs.toFixed(1)} ms/step, ${((64 * 1000) / stepMs).toFixed(1)} images/s`,
);
for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
  console.log(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms  ×${e.count}`);
}
if (process.argv.includes('--shapes')) {
  for (const k of info.kernels.filter((k) => Number(k.kernelTimeMs) > 5)) {
    console.log(
      k.name,
      Number(k.kernelTimeMs).toFixed(1),
      JSON.stringify(k.inputShapes),
      JSON.stringify(k.outputShapes),
    );
  }
}
