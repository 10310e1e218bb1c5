/**
 * At most one native package per process (tfjs-node-gpu and tfjs-node register the same
 * `tensorflow` kernels). Neither installs here (libtensorflow is downloaded at install time), so
 * tfjs-node-gpu is stood in for by a module that registers tfjs's cpu backend as `tensorflow`
 * without a CUDA device — what the real package does on a machine without CUDA.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';

const nodeCpuLoaded = vi.fn();

vi.mock('@tensorflow/tfjs-node-gpu', async () => {
  const cpu = await import('@tensorflow/tfjs-backend-cpu');
  tf.registerBackend('tensorflow', () => new cpu.MathBackendCPU());
  return { version: { 'tfjs-node': '4.22.0' } };
});
vi.mock('@tensorflow/tfjs-node', () => {
  nodeCpuLoaded();
  return { version: { 'tfjs-node': '4.22.0' } };
});

describe('one native package per process', () => {
  it('uses tfjs-node-gpu on the CPU when it found no CUDA device, never loading tfjs-node beside it', async () => {
    const { selectBackend } = await import('../../../../../main/trainer/backends/select.js');
    const info = await selectBackend('auto');
    expect(info).toMatchObject({
      name: 'tensorflow',
      device: 'cpu',
      package: '@tensorflow/tfjs-node-gpu',
      flags: { cudaDevice: false },
    });
    expect(info.reason).toMatch(
      /tfjs-node-gpu on the CPU \(no CUDA device; @tensorflow\/tfjs-node is not loaded beside it\); not used: .*found no CUDA device/,
    );
    expect(nodeCpuLoaded).not.toHaveBeenCalled();
    expect(tf.getBackend()).toBe('tensorflow');
  });
});
