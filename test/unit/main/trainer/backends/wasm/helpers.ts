import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../../../../../main/trainer/backends/wasm/index.js';
import '../../../../../../main/trainer/gradients.js';

/** Registers gradients and the project's kernels, and makes `wasm` the backend. */
export async function useWasm(): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
}

/** Deterministic pseudo-random values in [-1, 1) (a tiny LCG, so cases need no backend). */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export interface KernelRun {
  values: Float32Array;
  shape: number[];
  /** Tensors left behind besides the output (must be 0). */
  leaked: number;
}

/** Runs one kernel on a backend with the given float inputs and returns its output values. */
export async function runKernelOn(
  backend: 'wasm' | 'cpu',
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: Record<string, unknown>,
): Promise<KernelRun> {
  await tf.setBackend(backend);
  const ins: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.values, v.shape, 'float32');
  const before = tf.memory().numTensors;
  const out = tf.engine().runKernel<tf.Tensor>(kernelName, ins, attrs as tf.NamedAttrMap);
  const leaked = tf.memory().numTensors - before - 1;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  out.dispose();
  for (const t of Object.values(ins)) t.dispose();
  return { values, shape, leaked };
}

/** max|a−b| / max(max|b|, tiny): the relative error the issue bounds by 1e-4. */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 1e-12;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
    den = Math.max(den, Math.abs(b[i] ?? 0));
  }
  return a.length === b.length ? num / den : Infinity;
}
