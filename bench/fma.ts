/**
 * The relaxed-SIMD (FMA) kernels against the SIMD128 ones, in one process on the same tensors,
 * calls interleaved A, B, A, B… so both builds see the same machine load. Prints the minimum and
 * the median process CPU time per call (CPU time, not wall time: on a loaded machine wall time
 * mostly measures waiting for a core; the minimum is the least disturbed by cache sharing).
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/fma.ts [rounds] [a.wasm b.wasm]
 * (Node 20 needs the flag; later Nodes: npx tsx bench/fma.ts). With two files, compares those
 * (printed as "SIMD128" = a, "relaxed" = b).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../main/trainer/backends/wasm/index.js';
import type { ConvGeometry, SimdKernels } from '../main/trainer/backends/wasm/simd/module.js';
import { heapOffset, type WasmBackendLike } from '../main/trainer/backends/wasm/wasm-backend.js';

registerWasmTrainingKernels();
await tf.setBackend('wasm');
const backend = tf.backend() as unknown as WasmBackendLike & { wasm: { asm: { memory: object } } };
const memory = backend.wasm.asm.memory;
// WebAssembly's JS API, declared locally: the main tsconfig has no DOM lib.
const api = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: unknown };
    };
  }
).WebAssembly;
const load = (file: URL | string) =>
  new api.Instance(new api.Module(readFileSync(file)), { env: { memory } }).exports as SimdKernels;
const simd = (file: string) =>
  new URL(`../main/trainer/backends/wasm/simd/${file}`, import.meta.url);
// `fma.ts [rounds] [a.wasm b.wasm]`: any two builds (e.g. before and after a kernel change).
const [rounds = '15', fileA, fileB] = process.argv.slice(2);
const builds = {
  simd128: load(fileA ?? simd('kernels.wasm')),
  relaxed: load(fileB ?? simd('kernels-relaxed.wasm')),
};
const ROUNDS = Number(rounds);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor(s.length / 2)] ?? NaN };
};

/** Times `call` on each build, interleaved, and prints one line. */
function compare(label: string, flops: number, call: (k: SimdKernels) => void): void {
  const times: Record<keyof typeof builds, number[]> = { simd128: [], relaxed: [] };
  for (let r = 0; r < ROUNDS + 2; r++) {
    for (const name of ['simd128', 'relaxed'] as const) {
      const c0 = process.cpuUsage();
      call(builds[name]);
      const c = process.cpuUsage(c0);
      if (r >= 2) times[name].push((c.user + c.system) / 1000);
    }
  }
  const a = stats(times.simd128);
  const b = stats(times.relaxed);
  const gf = (ms: number) => (flops / ms / 1e6).toFixed(1);
  console.log(
    `${label}: SIMD128 min ${a.min.toFixed(1)} ms (${gf(a.min)} GFLOP/s), median ${a.median.toFixed(1)}; ` +
      `relaxed min ${b.min.toFixed(1)} ms (${gf(b.min)} GFLOP/s), median ${b.median.toFixed(1)}; ` +
      `speed-up (min) ${(a.min / b.min).toFixed(2)}×`,
  );
}

// The simple CNN's convolutions at batch 64 (stride 1, 'same'), and a ResNet stride-2 one.
for (const [n, h, w, cin, cout, s] of [
  [64, 32, 32, 3, 32, 1],
  [64, 32, 32, 32, 32, 1],
  [64, 16, 16, 32, 64, 1],
  [64, 16, 16, 64, 64, 1],
  [64, 32, 32, 16, 32, 2],
] as const) {
  const x = tf.randomNormal<tf.Rank.R4>([n, h, w, cin], 0, 1, 'float32', 1);
  const info = tf.backend_util.computeConv2DInfo([n, h, w, cin], [3, 3, cin, cout], s, 1, 'same');
  const dy = tf.randomNormal<tf.Rank.R4>(info.outShape, 0, 1, 'float32', 2);
  const filter = tf.randomNormal<tf.Rank.R4>([3, 3, cin, cout], 0, 1, 'float32', 3);
  const geometry: ConvGeometry = [
    n,
    h,
    w,
    cin,
    info.outHeight,
    info.outWidth,
    cout,
    3,
    3,
    s,
    s,
    info.padInfo.top,
    info.padInfo.left,
  ];
  const flops = 2 * n * info.outHeight * info.outWidth * cout * 9 * cin;
  const dw = backend.wasm._malloc(9 * cin * cout * 4);
  compare(`dW ${n}×${h}×${w}×${cin}→${cout} s${s}`, flops, (k) =>
    k.conv2d_backprop_filter(heapOffset(backend, x), heapOffset(backend, dy), dw, ...geometry),
  );
  if (cin % 8 === 0) {
    const dx = backend.wasm._malloc(n * h * w * cin * 4);
    const wt = backend.wasm._malloc(9 * cin * cout * 4);
    compare(`dx ${n}×${h}×${w}×${cin}←${cout} s${s}`, flops, (k) =>
      k.conv2d_backprop_input(
        heapOffset(backend, dy),
        heapOffset(backend, filter),
        dx,
        wt,
        ...geometry,
      ),
    );
    backend.wasm._free(dx);
    backend.wasm._free(wt);
  }
  backend.wasm._free(dw);
  tf.dispose([x, dy, filter]);
}
