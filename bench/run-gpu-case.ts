/**
 * One benchmark case on webgpu or webgl: the same model, steps and probe as run-case.ts, through
 * the tensor engine in headless Chromium (the route `bnlab run` takes). The row's backend says
 * which adapter ran it, `webgpu (software)` or `webgpu (hardware)`: a software adapter
 * (SwiftShader) is a correctness check, not a GPU figure. Peak RSS is the driver process's only
 * (the tensors live in Chromium's GPU process).
 */
import { TrainingSpec, VariantSpec } from '../main/api/config.js';
import type { AdapterPolicy, GpuBackendName } from '../main/api/engine-protocol.js';
import { openChromiumEngine } from '../main/trainer/browser/chromium-engine.js';
import type { HostBatch } from '../main/trainer/engine/types.js';
import type { BenchRow, CaseOptions } from './run-case.js';

const INPUT = { height: 32, width: 32, channels: 3, classes: 10 };
const TRAIN_IMAGES = 45_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};

/** Seeded images in [0,1) and labels (a small LCG: the same data on every backend). */
function batch(n: number, seed: number): HostBatch {
  let s = seed >>> 0 || 1;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const x = Float32Array.from({ length: n * 32 * 32 * 3 }, next);
  const labels = Int32Array.from({ length: n }, () => Math.floor(next() * 10));
  return {
    x: { name: 'x', shape: [n, 32, 32, 3], dtype: 'float32', data: x },
    labels: { name: 'labels', shape: [n], dtype: 'int32', data: labels },
  };
}

/** Runs one case on `o.backend` (webgpu|webgl) under `policy`; throws on a leak or a NaN loss. */
export async function runGpuCase(o: CaseOptions, policy: AdapterPolicy): Promise<BenchRow> {
  const session = await openChromiumEngine(o.backend as GpuBackendName, policy);
  const { engine, adapter } = session;
  try {
    const before = await engine.numTensors();
    const variant = VariantSpec.parse({
      name: 'bench',
      architecture: o.model,
      bn: o.bn ? 'before-activation' : 'none',
      variant: 'bench',
    });
    const training = TrainingSpec.parse({ batchSize: o.batchSize });
    const summary = await engine.init({ variant, input: INPUT, seed: o.seed, training });
    const data = batch(o.batchSize, o.seed);
    const probe = batch(training.probeImages, o.seed + 100);
    const stepMs: number[] = [];
    for (let i = 0; i < o.warmupSteps + o.steps; i++) {
      const t0 = performance.now();
      const { loss } = await engine.step(data, i);
      if (!Number.isFinite(loss)) throw new Error(`${o.model} on ${o.backend}: loss is ${loss}`);
      if (i >= o.warmupSteps) stepMs.push(performance.now() - t0);
    }
    const probeMs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      await engine.probe(probe, { seed: o.seed, step: i });
      probeMs.push(performance.now() - t0);
    }
    await engine.dispose();
    const leaked = (await engine.numTensors()) - before;
    if (leaked !== 0) throw new Error(`tensor leak: ${leaked} tensor(s) on ${o.backend}`);
    const ms = median(stepMs);
    const imagesPerSecond = (o.batchSize * 1000) / ms;
    const epochMs = Math.ceil(TRAIN_IMAGES / o.batchSize) * ms;
    return {
      model: o.model,
      bn: o.bn ? 'before-activation' : 'none',
      variant: 'bench',
      backend: `${o.backend} (${adapter.software ? 'software' : 'hardware'})`,
      batchSize: o.batchSize,
      imagesPerSecond,
      msPerStep: ms,
      gflops: (3 * summary.flopsPerImage * imagesPerSecond) / 1e9,
      rssMb: process.resourceUsage().maxRSS / 1024,
      probeOverhead: (epochMs + median(probeMs)) / epochMs,
    };
  } finally {
    await session.close();
  }
}
