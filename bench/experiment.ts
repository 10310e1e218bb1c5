/**
 * `npm run bench -- --experiment <preset>`: the wall time of a whole preset at full width (every
 * variant × seed as its own process, a fixed number of steps each, synthetic CIFAR-shaped data),
 * with the lab's default parallelism, and again one run at a time for the speed-up.
 */
import { machineParallelism } from '../main/lab/parallelism.js';
import { presetSpec } from '../main/lab/presets.js';
import { formatTable } from './format.js';
import { runIsolatedAsync } from './isolate.js';
import type { BenchRow, CaseOptions } from './run-case.js';

export interface ExperimentBenchOptions {
  preset: string;
  seeds?: number;
  /** Runs at once; absent: the lab's default (BNLAB_PARALLEL, else cores and memory). */
  parallel?: number;
  /** Also time the preset one run at a time. */
  compare: boolean;
  steps: number;
  warmup: number;
  seed: number;
}

export interface ExperimentTiming {
  parallel: number;
  wallMs: number;
  runs: { row: BenchRow; wallMs: number }[];
}

/** Runs every case with at most `parallel` processes at once; the whole wall time and each run's. */
async function timeAll(
  script: string,
  cases: CaseOptions[],
  parallel: number,
): Promise<ExperimentTiming> {
  const t0 = performance.now();
  const runs: ExperimentTiming['runs'] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      if (c !== undefined) runs[i] = await runIsolatedAsync(script, c);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, worker));
  return { parallel, wallMs: performance.now() - t0, runs };
}

/** Times the preset and prints the result (the per-run table and the whole preset's wall time). */
export async function benchExperiment(
  script: string,
  o: ExperimentBenchOptions,
  print: (line: string) => void,
): Promise<ExperimentTiming[]> {
  const spec = presetSpec(o.preset, { scale: 'full', dataset: 'cifar10', seeds: o.seeds });
  const cases: CaseOptions[] = spec.variants.flatMap((variant) =>
    Array.from({ length: spec.seeds }, (_, s) => ({
      model: variant.architecture,
      bn: variant.bn !== 'none',
      variant,
      backend: 'wasm',
      steps: o.steps,
      warmupSteps: o.warmup,
      batchSize: spec.training.batchSize,
      seed: o.seed + s,
    })),
  );
  const decision = machineParallelism(
    o.parallel,
    spec.variants.map((v) => v.architecture),
  );
  print(
    `${o.preset} at full width: ${cases.length} run(s) (${spec.variants.length} variant(s) × ${spec.seeds} seed(s)), ` +
      `${o.warmup} + ${o.steps} steps each, batch ${spec.training.batchSize}, wasm; ` +
      `${decision.parallel} at once: ${decision.reason}`,
  );
  const timings = [await timeAll(script, cases, decision.parallel)];
  if (o.compare && decision.parallel > 1) timings.push(await timeAll(script, cases, 1));
  for (const t of timings) {
    print(`\n${t.parallel} at once: whole preset ${(t.wallMs / 1000).toFixed(1)} s`);
    print(formatTable(t.runs.map((r) => r.row)));
    print(`wasm kernel build: ${[...new Set(t.runs.map((r) => r.row.kernels))].join(', ')}`);
    print(
      `run wall times (process start to exit): ${t.runs.map((r) => `${r.row.variant} ${(r.wallMs / 1000).toFixed(1)} s`).join(', ')}`,
    );
  }
  const [par, serial] = timings;
  if (par && serial)
    print(
      `\nspeed-up of ${par.parallel} at once over one at a time: ${(serial.wallMs / par.wallMs).toFixed(2)}× ` +
        `(ideal ${(cases.length / Math.ceil(cases.length / par.parallel)).toFixed(2)}× for ${cases.length} equal runs)`,
    );
  return timings;
}
