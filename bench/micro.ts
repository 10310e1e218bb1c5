/**
 * Micro-benchmark of single kernels on wasm, in process CPU time (robust on a shared machine):
 * `tsx bench/micro.ts`. Compares the project's kernels with the alternatives they replaced.
 * The relaxed-SIMD build against SIMD128 (Node 20 needs the flag for the relaxed one):
 *   BNLAB_WASM_KERNELS=simd128 npx tsx bench/micro.ts
 *   BNLAB_WASM_KERNELS=relaxed node --experimental-wasm-relaxed-simd --import tsx bench/micro.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../main/trainer/backends/wasm/index.js';
import { conv2dBackpropFilterViaConv } from '../main/trainer/backends/wasm/conv2d-backprop-filter.js';
import { stockWasmKernel, wasmKernelBuild } from '../main/trainer/backends/wasm/index.js';

registerWasmTrainingKernels();
await tf.setBackend('wasm');
console.log(`project kernels: ${wasmKernelBuild()} build`);

/** Median CPU milliseconds of `f` over `n` runs (after 3 warm-up runs). */
async function cpuMs(f: () => tf.Tensor, n = 7): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n + 3; i++) {
    const c0 = process.cpuUsage();
    const t = f();
    await t.data();
    const c = process.cpuUsage(c0);
    t.dispose();
    if (i >= 3) times.push((c.user + c.system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)] ?? NaN;
}

for (const [xs, cout, s] of [
  [[64, 32, 32, 3], 32, 1],
  [[64, 32, 32, 32], 32, 1],
  [[64, 16, 16, 32], 64, 1],
  [[64, 16, 16, 64], 64, 1],
  [[64, 32, 32, 16], 32, 2],
] as const) {
  const x = tf.randomNormal<tf.Rank.R4>([...xs], 0, 1, 'float32', 1);
  const f: [number, number, number, number] = [3, 3, xs[3], cout];
  const y = tf.conv2d(x, tf.zeros<tf.Rank.R4>(f), s, 'same');
  const dy = tf.randomNormal<tf.Rank.R4>(y.shape, 0, 1, 'float32', 2);
  const attrs = {
    strides: [s, s] as [number, number],
    pad: 'same' as const,
    dataFormat: 'NHWC' as const,
    dimRoundingMode: undefined,
    filterShape: f,
  };
  const simd = await cpuMs(() =>
    tf
      .engine()
      .runKernel<tf.Tensor>('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap),
  );
  const w = tf.randomNormal<tf.Rank.R4>(f, 0, 1, 'float32', 3);
  const dx = await cpuMs(() =>
    tf.engine().runKernel<tf.Tensor>('Conv2DBackpropInput', { dy, filter: w }, {
      ...attrs,
      inputShape: xs,
    } as unknown as tf.NamedAttrMap),
  );
  const conv = await cpuMs(() => conv2dBackpropFilterViaConv(x, dy, attrs));
  const fwd = await cpuMs(() => tf.conv2d(x, tf.zeros<tf.Rank.R4>(f), s, 'same'));
  console.log(
    `dW x=${xs.join('×')} cout=${cout} s=${s}: SIMD ${simd.toFixed(1)} ms, conv-over-transposed ${conv.toFixed(1)} ms, forward conv ${fwd.toFixed(1)} ms; dx ${dx.toFixed(1)} ms`,
  );
  tf.dispose([x, y, dy, w]);
}
const xp = tf.relu(tf.randomNormal<tf.Rank.R4>([64, 32, 32, 32], 0, 1, 'float32', 3));
const yp = tf.maxPool(xp, 2, 2, 'valid');
const dyp = tf.randomNormal(yp.shape, 0, 1, 'float32', 4);
console.log(
  `MaxPoolGrad [64,32,32,32]: ${(await cpuMs(() => tf.engine().runKernel<tf.Tensor>('MaxPoolGrad', { dy: dyp, input: xp, output: yp }, { filterSize: 2, strides: 2, pad: 'valid' }))).toFixed(1)} ms`,
);
console.log(
  `Sum [64,32,32,32] over N,H,W: ${(await cpuMs(() => tf.sum(xp, [0, 1, 2]))).toFixed(1)} ms`,
);
console.log(
  `Add [64,32,32,32]+[32]: ${(await cpuMs(() => tf.add(xp, tf.ones([32])))).toFixed(1)} ms; Mul same: ${(await cpuMs(() => tf.mul(xp, tf.ones([32])))).toFixed(1)} ms; Mul full: ${(await cpuMs(() => tf.mul(xp, xp))).toFixed(1)} ms`,
);

// Dense layers of the simple CNN: forward, dX (transposed B), dW (transposed A).
const stockMatMul = stockWasmKernel('BatchMatMul');
for (const [as, bs, ta, tb] of [
  [[64, 4096], [4096, 512], false, false],
  [[64, 512], [4096, 512], false, true],
  [[64, 4096], [64, 512], true, false],
] as const) {
  const a = tf.randomNormal([...as], 0, 1, 'float32', 5);
  const b = tf.randomNormal([...bs], 0, 1, 'float32', 6);
  const attrs = { transposeA: ta, transposeB: tb };
  const ours = await cpuMs(() => tf.engine().runKernel<tf.Tensor>('BatchMatMul', { a, b }, attrs));
  const backend = tf.backend();
  const stockMs = await cpuMs(() => {
    const info = stockMatMul?.kernelFunc({ inputs: { a, b }, backend, attrs }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(info);
  }, 3);
  console.log(
    `BatchMatMul a=${as.join('×')} b=${bs.join('×')} tA=${ta} tB=${tb}: project ${ours.toFixed(1)} ms, stock ${stockMs.toFixed(1)} ms`,
  );
  tf.dispose([a, b]);
}
