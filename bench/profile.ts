/**
 * Per-kernel profile of one training step (`tsx bench/profile.ts [--bn] [--backend wasm]`).
 * Times are wall-clock per kernel as tfjs's profiler reports them; a project kernel that calls
 * other kernels is listed with its total and its inner kernels are listed too (so the column does
 * not sum to the step time).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../main/trainer/backends/wasm/index.js';
import '../main/trainer/gradients.js';
import { buildStandInCnn, standInStep } from './stand-in-model.js';

const bn = process.argv.includes('--bn');
const backend = process.argv.includes('--cpu') ? 'cpu' : 'wasm';
const batch = 64;
registerWasmTrainingKernels();
await tf.setBackend(backend);
const model = buildStandInCnn({ height: 32, width: 32, channels: 3, classes: 10 }, bn, 1);
const opt = tf.train.sgd(0.01);
const x = tf.randomNormal<tf.Rank.R4>([batch, 32, 32, 3], 0, 1, 'float32', 7);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  ),
  10,
) as tf.Tensor2D;
for (let i = 0; i < 2; i++) standInStep(model, opt, x, labels).dispose();
const t0 = performance.now();
const n = 3;
for (let i = 0; i < n; i++) {
  const loss = standInStep(model, opt, x, labels);
  await loss.data();
  loss.dispose();
}
const stepMs = (performance.now() - t0) / n;
const info = await tf.profile(() => {
  standInStep(model, opt, x, labels).dispose();
});
const byName = new Map<string, { ms: number; count: number }>();
for (const k of info.kernels) {
  const e = byName.get(k.name) ?? { ms: 0, count: 0 };
  e.ms += Number(k.kernelTimeMs);
  e.count += 1;
  byName.set(k.name, e);
}
console.log(
  `${backend}${bn ? ' +BN' : ''}: ${stepMs.toFixed(1)} ms/step, ${((batch * 1000) / stepMs).toFixed(1)} images/s`,
);
for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms  ×${e.count}`);
}
if (process.argv.includes('--shapes')) {
  for (const k of info.kernels.filter((k) => Number(k.kernelTimeMs) > 3)) {
    console.log(
      k.name,
      Number(k.kernelTimeMs).toFixed(1),
      JSON.stringify(k.inputShapes),
      JSON.stringify(k.outputShapes),
    );
  }
}
