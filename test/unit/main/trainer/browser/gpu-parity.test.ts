/**
 * The project's simple CNN on webgpu and webgl (headless Chromium, SwiftShader — what CI has)
 * against the same code on wasm: one step's loss and every gradient, the probe histograms, and a
 * flat tensor count over 20 steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerProbe } from '../../../../../main/api/events.js';
import {
  type GpuSession,
  openChromiumEngine,
} from '../../../../../main/trainer/browser/chromium-engine.js';
import { createLocalEngine } from '../../../../../main/trainer/engine/local-engine.js';
import type { TensorEngine } from '../../../../../main/trainer/engine/types.js';
import { useWasm } from '../backends/wasm/helpers.js';
import { buildGpuBundle, relativeMaxError, seededBatch, simpleCnnSpec } from './gpu-helpers.js';

/** |loss − wasm loss| (absolute; losses are ≈ 2.3 here). */
const LOSS_TOLERANCE = 2e-3;
/** Per gradient: max |g − g_wasm| ÷ max |g_wasm|. */
const GRADIENT_TOLERANCE = 2e-2;
/** Per layer and histogram: share of the values that fell into another bin. */
const HISTOGRAM_TOLERANCE = 0.02;

const sessions: Partial<Record<'webgpu' | 'webgl', GpuSession>> = {};
const wasm = createLocalEngine();

beforeAll(async () => {
  buildGpuBundle();
  await useWasm();
  sessions.webgpu = await openChromiumEngine('webgpu', 'software');
  sessions.webgl = await openChromiumEngine('webgl', 'software');
}, 300_000);
afterAll(async () => {
  await Promise.all(Object.values(sessions).map((s) => s.close()));
});

function session(backend: 'webgpu' | 'webgl'): GpuSession {
  const s = sessions[backend];
  if (!s) throw new Error(`${backend} did not open`);
  return s;
}

function histogramShift(a: LayerProbe['pre'], b: LayerProbe['pre']): number {
  let moved = 0;
  a.counts.forEach((count, i) => (moved += Math.abs(count - (b.counts[i] ?? 0))));
  moved += Math.abs(a.underflow - b.underflow) + Math.abs(a.overflow - b.overflow);
  return moved / 2 / Math.max(1, b.total);
}

describe.each(['webgpu', 'webgl'] as const)('the simple CNN on %s (SwiftShader)', (backend) => {
  it('runs on a software adapter, and says so', () => {
    const { adapter } = session(backend);
    expect(adapter.backend).toBe(backend);
    expect(adapter.software).toBe(true);
    expect(`${adapter.vendor} ${adapter.architecture}`).toMatch(/swiftshader|google/i);
  });

  it.each([false, true])(
    'matches wasm on one step: loss and every gradient (BN: %s)',
    async (bn) => {
      const engine = session(backend).engine;
      const batch = seededBatch(8, 3);
      const results = [];
      for (const e of [engine, wasm] as TensorEngine[]) {
        await e.init(simpleCnnSpec(bn));
        results.push(await e.gradients(batch, 0));
        await e.dispose();
      }
      const [gpu, cpu] = results as [(typeof results)[0], (typeof results)[0]];
      expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThan(LOSS_TOLERANCE);
      expect(gpu.grads.map((g) => g.name)).toEqual(cpu.grads.map((g) => g.name));
      // 6 layers × (kernel, bias); with BN: 4 conv kernels + dense1 kernel, 5 × (γ, β), dense2.
      expect(gpu.grads.length).toBe(bn ? 17 : 12);
      for (const [i, g] of gpu.grads.entries()) {
        const error = relativeMaxError(g.data, cpu.grads[i]!.data);
        expect(error, `${g.name}: relative error ${error}`).toBeLessThan(GRADIENT_TOLERANCE);
      }
    },
  );

  it('bins the probe activations as wasm does', async () => {
    const engine = session(backend).engine;
    const probeBatch = seededBatch(32, 5);
    const probes = [];
    for (const e of [engine, wasm] as TensorEngine[]) {
      await e.init(simpleCnnSpec(true));
      await e.step(seededBatch(8, 3), 0);
      probes.push((await e.probe(probeBatch, { seed: 1, step: 1 })).layers);
      await e.dispose();
    }
    const [gpu, cpu] = probes as [LayerProbe[], LayerProbe[]];
    expect(gpu.map((l) => l.layer)).toEqual(cpu.map((l) => l.layer));
    for (const [i, layer] of gpu.entries()) {
      const ref = cpu[i]!;
      expect(layer.deadUnits, layer.layer).toBe(ref.deadUnits);
      expect(histogramShift(layer.pre, ref.pre), `${layer.layer} pre`).toBeLessThan(
        HISTOGRAM_TOLERANCE,
      );
      expect(histogramShift(layer.post, ref.post), `${layer.layer} post`).toBeLessThan(
        HISTOGRAM_TOLERANCE,
      );
    }
  });

  it('keeps the tensor count flat over 20 steps', async () => {
    const engine = session(backend).engine;
    const before = await engine.numTensors();
    await engine.init(simpleCnnSpec(true));
    const counts: number[] = [];
    for (let step = 0; step < 20; step++) {
      const result = await engine.step(seededBatch(8, step), step);
      expect(Number.isFinite(result.loss)).toBe(true);
      counts.push(await engine.numTensors());
    }
    // From step 2 on the optimizer's momentum exists; nothing may accumulate after that.
    expect(new Set(counts.slice(1)).size).toBe(1);
    await engine.dispose();
    expect(await engine.numTensors()).toBe(before);
  });
});
