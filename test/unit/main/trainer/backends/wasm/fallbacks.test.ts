import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropFilterViaConv } from '../../../../../../main/trainer/backends/wasm/conv2d-backprop-filter.js';
import { conv2dBackpropInputViaConv } from '../../../../../../main/trainer/backends/wasm/conv2d-backprop-input.js';
import { randomValues, relativeError, useWasm } from './helpers.js';

// The op-level paths the kernels take where the SIMD module cannot load (or a shape it does not
// cover, e.g. output channels not a multiple of 8), checked against the cpu backend directly.
const cases = [
  { x: [2, 8, 8, 8], f: [3, 3, 8, 16], s: 1, pad: 'same' as const },
  { x: [2, 9, 9, 4], f: [3, 3, 4, 8], s: 2, pad: 'same' as const },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 5], s: 2, pad: 'valid' as const },
  { x: [1, 7, 7, 2], f: [5, 5, 2, 3], s: 1, pad: 'valid' as const },
];

async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = f();
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

describe('op-level fallbacks of the wasm kernels', () => {
  beforeAll(useWasm);

  it.each(cases)('dW and dx for x=$x f=$f stride=$s $pad match cpu without leaking', async (c) => {
    const [n = 1, h = 1, w = 1, cin = 1] = c.x;
    const info = tf.backend_util.computeConv2DInfo(
      [n, h, w, cin],
      c.f as [number, number, number, number],
      c.s,
      1,
      c.pad,
    );
    const xv = randomValues(n * h * w * cin, 31);
    const dyv = randomValues(
      info.outShape.reduce((a, b) => a * b, 1),
      32,
    );
    const fv = randomValues(
      c.f.reduce((a, b) => a * b, 1),
      33,
    );
    const filterAttrs = {
      strides: c.s,
      pad: c.pad,
      dataFormat: 'NHWC' as const,
      filterShape: c.f as [number, number, number, number],
    };
    const inputAttrs = {
      strides: c.s,
      pad: c.pad,
      dataFormat: 'NHWC' as const,
      inputShape: [n, h, w, cin] as [number, number, number, number],
    };

    await tf.setBackend('wasm');
    const x = tf.tensor4d(xv, [n, h, w, cin]);
    const dy = tf.tensor4d(dyv, info.outShape);
    const filter = tf.tensor4d(fv, c.f as [number, number, number, number]);
    const before = tf.memory().numTensors;
    const dw = await on('wasm', () => conv2dBackpropFilterViaConv(x, dy, filterAttrs));
    const dxFast = c.s === 1 ? conv2dBackpropInputViaConv(dy, filter, inputAttrs) : null;
    const dx = dxFast ? ((await dxFast.data()) as Float32Array) : null;
    dxFast?.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy, filter]);
    // Strided dx has no op-level rewrite: it goes to the stock kernel, covered by kernels.test.ts.
    expect(dxFast === null).toBe(c.s !== 1);

    // On cpu, both gradients by autodiff of Σ conv2d(x, f)·dy.
    const loss = (xt: tf.Tensor4D, ft: tf.Tensor4D) =>
      tf.sum(tf.mul(tf.conv2d(xt, ft, c.s, c.pad), tf.tensor4d(dyv, info.outShape)));
    const fShape = c.f as [number, number, number, number];
    const dwCpu = await on('cpu', () =>
      tf.grad((ft: tf.Tensor) => loss(tf.tensor4d(xv, [n, h, w, cin]), ft as tf.Tensor4D))(
        tf.tensor4d(fv, fShape),
      ),
    );
    expect(relativeError(dw, dwCpu)).toBeLessThan(1e-4);
    if (dx) {
      const dxCpu = await on('cpu', () =>
        tf.grad((xt: tf.Tensor) => loss(xt as tf.Tensor4D, tf.tensor4d(fv, fShape)))(
          tf.tensor4d(xv, [n, h, w, cin]),
        ),
      );
      expect(relativeError(dx, dxCpu)).toBeLessThan(1e-4);
    }
    await tf.setBackend('wasm');
  });
});
