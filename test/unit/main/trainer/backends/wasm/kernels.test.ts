import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  registerWasmTrainingKernels,
  wasmKernelBuild,
} from '../../../../../../main/trainer/backends/wasm/index.js';
import { randomValues, relativeError, runKernelOn, useWasm } from './helpers.js';

type Pad = 'same' | 'valid';
interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: [number, number];
  pad: Pad;
}

// Shapes of the lab's models (3×3 same, stride 1 and 2, 1×1 stride-2 shortcuts) plus odd sizes,
// non-square filters and valid padding whose windows miss the last rows.
const convCases: ConvCase[] = [
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], s: [1, 1], pad: 'same' },
  { x: [2, 9, 7, 5], f: [3, 3, 5, 6], s: [1, 1], pad: 'valid' },
  { x: [3, 8, 8, 4], f: [3, 3, 4, 8], s: [2, 2], pad: 'same' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 4], f: [1, 1, 4, 8], s: [2, 2], pad: 'same' },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], s: [2, 2], pad: 'valid' },
  { x: [1, 10, 11, 2], f: [5, 3, 2, 3], s: [3, 2], pad: 'valid' },
  { x: [2, 6, 6, 2], f: [2, 4, 2, 3], s: [1, 1], pad: 'same' },
  { x: [4, 16, 16, 16], f: [3, 3, 16, 16], s: [1, 1], pad: 'same' },
  // Output channels a multiple of 8 take the compiled SIMD dW kernel.
  { x: [2, 8, 8, 3], f: [3, 3, 3, 8], s: [1, 1], pad: 'same' },
  { x: [2, 9, 9, 5], f: [3, 3, 5, 16], s: [2, 2], pad: 'same' },
  { x: [2, 7, 7, 6], f: [3, 3, 6, 8], s: [2, 2], pad: 'valid' },
  { x: [2, 8, 8, 8], f: [1, 1, 8, 16], s: [2, 2], pad: 'same' },
  { x: [3, 10, 6, 7], f: [5, 3, 7, 24], s: [1, 2], pad: 'same' },
  // 32 → 32 channels as in the deeper layers; the batch stays small because the cpu backend's
  // reference loop is slow (an 8×32×32 batch took 10 s alone and timed out on a loaded CI box).
  { x: [2, 16, 16, 32], f: [3, 3, 32, 32], s: [1, 1], pad: 'same' },
  // Input channels a multiple of 8 take the compiled SIMD dx kernel (ResNet-20's down-sampling).
  { x: [2, 9, 9, 8], f: [3, 3, 8, 8], s: [2, 2], pad: 'same' },
  { x: [2, 10, 10, 16], f: [3, 3, 16, 8], s: [2, 2], pad: 'valid' },
  { x: [3, 7, 9, 8], f: [5, 3, 8, 16], s: [1, 2], pad: 'same' },
  { x: [4, 32, 32, 16], f: [3, 3, 16, 32], s: [2, 2], pad: 'same' },
  // Stride 1 with channels multiples of 8: valid padding, a non-square filter with uneven 'same'
  // padding, 1×1.
  { x: [2, 9, 7, 8], f: [3, 3, 8, 16], s: [1, 1], pad: 'valid' },
  { x: [2, 6, 5, 16], f: [4, 3, 16, 8], s: [1, 1], pad: 'same' },
  { x: [3, 5, 5, 8], f: [1, 1, 8, 24], s: [1, 1], pad: 'same' },
];

function convOut(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
  return info.outShape;
}

async function compare(
  kernelName: string,
  inputs: Record<string, { shape: number[]; values: Float32Array }>,
  attrs: Record<string, unknown>,
) {
  const w = await runKernelOn('wasm', kernelName, inputs, attrs);
  const c = await runKernelOn('cpu', kernelName, inputs, attrs);
  await tf.setBackend('wasm');
  expect(w.shape).toEqual(c.shape);
  expect(w.leaked).toBe(0);
  expect(relativeError(w.values, c.values)).toBeLessThan(1e-4);
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const input = (shape: number[], seed: number) => ({
  shape,
  values: randomValues(size(shape), seed),
});

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(useWasm);

  // vitest.config.ts runs this file once per build: `unit` pins SIMD128, `relaxed-simd` the build
  // with fused multiply-add (a runtime that cannot validate it fails here instead of falling back).
  it('runs the kernel build its test project asks for', () => {
    expect(['simd128', 'relaxed']).toContain(process.env.BNLAB_WASM_KERNELS);
    expect(wasmKernelBuild()).toBe(process.env.BNLAB_WASM_KERNELS);
  });

  it('registers idempotently and names its kernels', () => {
    const names = registerWasmTrainingKernels();
    expect(registerWasmTrainingKernels()).toEqual(names);
    expect(names).toContain('Conv2DBackpropFilter');
    for (const n of names) expect(tf.getKernel(n, 'wasm')).toBeDefined();
  });

  it.each(convCases)('Conv2DBackpropFilter x=$x f=$f strides=$s $pad', async (c) => {
    await compare(
      'Conv2DBackpropFilter',
      { x: input(c.x, 1), dy: input(convOut(c), 2) },
      {
        strides: c.s,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        filterShape: c.f,
      },
    );
  });

  it.each(convCases)('Conv2DBackpropInput x=$x f=$f strides=$s $pad', async (c) => {
    await compare(
      'Conv2DBackpropInput',
      { dy: input(convOut(c), 3), filter: input(c.f, 4) },
      {
        strides: c.s,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        inputShape: c.x,
      },
    );
  });

  it.each([
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [2, 6, 4], b: [2, 6, 5], ta: true, tb: false },
    { a: [64, 40], b: [64, 12], ta: true, tb: false },
    // Larger and batched products, like the dense layers'.
    { a: [13, 300], b: [300, 24], ta: false, tb: false },
    { a: [64, 1024], b: [1024, 64], ta: false, tb: false },
    { a: [16, 96], b: [40, 96], ta: false, tb: true },
    { a: [16, 96], b: [16, 32], ta: true, tb: false },
    { a: [1, 9, 700], b: [1, 700, 8], ta: false, tb: false },
    { a: [3, 4, 5], b: [3, 5, 8], ta: false, tb: false },
    // Odd row counts and sizes beyond 256 in every dimension, transposed or not.
    { a: [7, 600], b: [600, 264], ta: false, tb: false },
    { a: [600, 7], b: [600, 264], ta: true, tb: false },
    { a: [64, 520], b: [24, 520], ta: false, tb: true },
    { a: [1, 3], b: [3, 8], ta: false, tb: false },
  ])('BatchMatMul a=$a b=$b transposeA=$ta transposeB=$tb', async ({ a, b, ta, tb }) => {
    await compare(
      'BatchMatMul',
      { a: input(a, 5), b: input(b, 6) },
      { transposeA: ta, transposeB: tb },
    );
  });

  it.each([
    { shape: [10], begin: [3], size: [4] },
    { shape: [4, 6], begin: [1, 2], size: [2, 3] },
    { shape: [4, 6], begin: [1, 0], size: [2, 6] },
    { shape: [3, 5, 4], begin: [0, 1, 1], size: [3, 3, 2] },
    { shape: [2, 6, 6, 3], begin: [0, 1, 2, 0], size: [2, 4, 3, 3] },
    { shape: [2, 3, 4, 5, 2], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 3, 2] },
  ])('Slice shape=$shape begin=$begin size=$size', async ({ shape, begin, size: sz }) => {
    await compare('Slice', { x: input(shape, 7) }, { begin, size: sz });
  });

  it.each([
    { shape: [6, 10], perm: [1, 0] },
    { shape: [4096, 36], perm: [1, 0] },
    { shape: [3, 5, 7], perm: [0, 2, 1] },
    { shape: [3, 5, 7], perm: [2, 0, 1] },
    { shape: [3, 5, 7], perm: [1, 2, 0] },
    { shape: [2, 3, 4, 5], perm: [0, 3, 1, 2] },
    { shape: [2, 3, 4, 5], perm: [3, 1, 2, 0] },
  ])('Transpose shape=$shape perm=$perm', async ({ shape, perm }) => {
    await compare('Transpose', { x: input(shape, 13) }, { perm });
  });

  it.each<{ x: number[]; size: number; s: number; pad: Pad }>([
    { x: [2, 8, 8, 4], size: 2, s: 2, pad: 'valid' },
    { x: [2, 9, 7, 3], size: 2, s: 2, pad: 'valid' },
    { x: [2, 9, 9, 5], size: 3, s: 2, pad: 'same' },
    { x: [1, 6, 6, 2], size: 3, s: 1, pad: 'same' },
  ])(
    'MaxPoolGrad x=$x window=$size stride=$s $pad (half the inputs tied at 0, as after ReLU)',
    async (c) => {
      const info = tf.backend_util.computePool2DInfo(
        c.x as [number, number, number, number],
        c.size,
        c.s,
        1,
        c.pad,
      );
      const relu = input(c.x, 9);
      relu.values = relu.values.map((v) => Math.max(0, v));
      await compare(
        'MaxPoolGrad',
        { dy: input(info.outShape, 10), input: relu, output: input(info.outShape, 11) },
        {
          filterSize: c.size,
          strides: c.s,
          pad: c.pad,
          dimRoundingMode: undefined,
        },
      );
    },
  );

  it.each([
    { kind: 'Sum', shape: [8, 16, 16, 8], axis: [0, 1, 2], keepDims: false },
    { kind: 'Mean', shape: [8, 16, 16, 8], axis: [0, 1, 2], keepDims: false },
    { kind: 'Sum', shape: [4096, 6], axis: [0], keepDims: false },
    { kind: 'Mean', shape: [3, 4, 5], axis: [1, 0], keepDims: true },
    { kind: 'Sum', shape: [3, 4, 5], axis: [1], keepDims: false },
    { kind: 'Mean', shape: [3, 4, 5], axis: [-1], keepDims: true },
    { kind: 'Sum', shape: [7], axis: [0], keepDims: false },
  ])(
    '$kind shape=$shape axis=$axis keepDims=$keepDims',
    async ({ kind, shape, axis, keepDims }) => {
      await compare(kind, { x: input(shape, 12) }, { axis, keepDims });
    },
  );

  it.each([
    { shape: [1, 1, 1, 4], reps: [2, 3, 3, 1] },
    { shape: [3], reps: [4] },
    { shape: [1], reps: [5] },
    { shape: [2, 3], reps: [2, 2] },
    { shape: [2, 1, 3], reps: [1, 4, 2] },
  ])('Tile shape=$shape reps=$reps', async ({ shape, reps }) => {
    await compare('Tile', { x: input(shape, 8) }, { reps });
  });

  it('Identity (a saved tensor of the backward pass) shares the data: it outlives its source, values equal, no leak', async () => {
    const before = tf.memory().numTensors;
    const buffersBefore = tf.memory().numDataBuffers;
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const copy = tf.clone(x);
    // Shared, not copied: two tensors, one buffer.
    expect(tf.memory().numDataBuffers - buffersBefore).toBe(1);
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4, 5, 6]);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
    const names = tf.clone(tf.tensor1d(['a', 'b'], 'string'));
    expect(await names.data()).toEqual(['a', 'b']);
    names.dispose();
  });
});
