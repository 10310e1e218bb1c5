import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { makeBatchMatMulKernel } from './batch-mat-mul.js';
import { makeIdentityKernel } from './identity.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { makeConv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import { makeMaxPoolGradKernel } from './max-pool-grad.js';
import { makeLeadingAxesReduceKernel } from './reduce.js';
import { makeSliceKernel } from './slice.js';
import { makeTileKernel } from './tile.js';
import { makeTransposeKernel } from './transpose.js';
import { selectedKernelBuild, type KernelBuild } from './simd/kernel-build.js';

export { relaxedSimdExecArgv, type KernelBuild } from './simd/kernel-build.js';

/** Stock wasm kernels we replaced, kept so a replacement can fall back to them for cases it does not handle. */
const stockKernels = new Map<string, KernelConfig>();
const stock = (name: string) => () => stockKernels.get(name);

/** The kernels this project supplies (or replaces) on the `wasm` backend. */
const projectKernels: ReadonlyArray<{ kernelName: string; kernelFunc: KernelFunc }> = [
  { kernelName: 'Identity', kernelFunc: makeIdentityKernel(stock('Identity')) },
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2dBackpropFilterKernel },
  {
    kernelName: 'Conv2DBackpropInput',
    kernelFunc: makeConv2dBackpropInputKernel(stock('Conv2DBackpropInput')),
  },
  { kernelName: 'BatchMatMul', kernelFunc: makeBatchMatMulKernel(stock('BatchMatMul')) },
  { kernelName: 'Slice', kernelFunc: makeSliceKernel(stock('Slice')) },
  { kernelName: 'Tile', kernelFunc: makeTileKernel(stock('Tile')) },
  { kernelName: 'MaxPoolGrad', kernelFunc: makeMaxPoolGradKernel(stock('MaxPoolGrad')) },
  { kernelName: 'Transpose', kernelFunc: makeTransposeKernel(stock('Transpose')) },
  { kernelName: 'Sum', kernelFunc: makeLeadingAxesReduceKernel('Sum', stock('Sum')) },
  { kernelName: 'Mean', kernelFunc: makeLeadingAxesReduceKernel('Mean', stock('Mean')) },
];
const registered = new Set<KernelFunc>();

/** The stock wasm kernel a project kernel replaced, if any (for fallbacks). */
export function stockWasmKernel(kernelName: string): KernelConfig | undefined {
  return stockKernels.get(kernelName);
}

/**
 * Registers the project's training kernels for the `wasm` backend (idempotent) and returns their
 * names. Call after importing `@tensorflow/tfjs-backend-wasm` and before training on `wasm`;
 * registration does not depend on the backend being initialised.
 */
export function registerWasmTrainingKernels(): string[] {
  for (const { kernelName, kernelFunc } of projectKernels) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (existing !== undefined && registered.has(existing.kernelFunc)) continue;
    if (existing !== undefined) {
      stockKernels.set(kernelName, existing);
      tf.unregisterKernel(kernelName, 'wasm');
    }
    // A stock kernel we fall back to binds its wasm functions in its setupFunc, which the engine
    // runs when the backend initialises; run it now too if the backend is already up.
    const setupFunc = existing?.setupFunc;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc,
      ...(setupFunc ? { setupFunc } : {}),
    });
    const live = tf.engine().registry['wasm'];
    if (setupFunc && live !== undefined) setupFunc(live);
    registered.add(kernelFunc);
  }
  return projectKernels.map((k) => k.kernelName);
}

/** Which build of the project's SIMD kernels this process runs ('relaxed' or 'simd128'). */
export function wasmKernelBuild(): KernelBuild {
  return selectedKernelBuild().build;
}
