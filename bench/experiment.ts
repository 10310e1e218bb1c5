/**
 * `npm run bench -- --experiment <preset>`: the wall time of a whole preset at full width (every
 * variant × seed as its own process, a fixed number of steps each, synthetic CIFAR-shaped data),
 * with the lab's default parallelism, and again one run at a time for the speed-up.
 */
import { machineParallelism } from '../main/lab/parallelism.js';
import { RunQueue } from '../main/lab/run-queue.js';
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
  /** Runs at once at the queue's end (RunQueue's tail). */
  tail: number;
  wallMs: number;
  runs: { row: BenchRow; wallMs: number }[];
}

/**
 * Runs every case through the lab's own RunQueue (`parallel` slots, up to `tail` at the queue's
 * end); the whole wall time and each run's.
 */
async function timeAll(
  script: string,
  cases: CaseOptions[],
  parallel: number,
  tail = parallel,
): Promise<ExperimentTiming> {
  const t0 = performance.now();
  const runs: ExperimentTiming['runs'] = [];
  const queue = new RunQueue(parallel, tail);
  cases.forEach((c, i) =>
    queue.enqueue({
      id: String(i),
      run: async () => {
        runs[i] = await runIsolatedAsync(script, c);
      },
      cancelled: () => undefined,
    }),
  );
  await queue.idle();
  return { parallel, tail, wallMs: performance.now() - t0, runs };
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
  const timings = [await timeAll(script, cases, decision.parallel, decision.tail)];
  if (o.compare && decision.tail > 1) timings.push(await timeAll(script, cases, 1));
  for (const t of timings) {
    print(
      `\n${t.parallel} at once${t.tail > t.parallel ? ` (up to ${t.tail} at the end)` : ''}: ` +
        `whole preset ${(t.wallMs / 1000).toFixed(1)} s`,
    );
    print(formatTable(t.runs.map((r) => r.row)));
    print(`wasm kernel build: ${[...new Set(t.runs.map((r) => r.row.kernels))].join(', ')}`);
    print(
      `run wall times (process start to exit): ${t.runs.map((r) => `${r.row.variant} ${(r.wallMs / 1000).toFixed(1)} s`).join(', ')}`,
    );
  }
  const [par, serial] = timings;
  if (par && serial)
    print(
      `\nspeed-up of the default over one at a time: ${(serial.wallMs / par.wallMs).toFixed(2)}× ` +
        `(ideal ${idealSpeedUp(cases.length, par.parallel, par.tail).toFixed(2)}× for ${cases.length} equal ` +
        `runs on ${par.parallel} core(s))`,
    );
  return timings;
}

/**
 * The speed-up of `parallel` slots (up to `tail` at the end) over one at a time for n equal,
 * CPU-bound runs on `parallel` cores: full rounds, then the remainder, which time-shares every core
 * beside the last full round when the tail holds both (n ÷ parallel run-times in all) and leaves
 * cores idle in a round of its own otherwise.
 */
export function idealSpeedUp(n: number, parallel: number, tail: number): number {
  if (n <= parallel) return n;
  const rounds = Math.floor(n / parallel);
  const rest = n - rounds * parallel;
  const time = rest === 0 || parallel + rest <= tail ? n / parallel : rounds + 1;
  return n / time;
}
