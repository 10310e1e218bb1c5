import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';

/** The kernels this project supplies (or replaces) on the `wasm` backend. */
const projectKernels: ReadonlyArray<{ kernelName: string; kernelFunc: KernelFunc }> = [
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2dBackpropFilterKernel },
];

/** Stock wasm kernels we replaced, kept so a replacement can fall back to them for cases it does not handle. */
const stockKernels = new Map<string, KernelConfig>();
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
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registered.add(kernelFunc);
  }
  return projectKernels.map((k) => k.kernelName);
}
