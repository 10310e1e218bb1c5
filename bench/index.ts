/**
 * `npm run bench`: training throughput of each architecture (without BN and with BN before the
 * activation) on every available backend, on synthetic CIFAR-shaped data. Never part of the tests.
 *
 *   npm run bench -- [--model simple-cnn] [--backend wasm] [--steps 5] [--json]
 *   npm run bench -- --experiment bn-simple [--seeds 2] [--parallel N] [--no-compare] [--steps 20]
 *   npm run bench -- --view [--seconds 30]   (the experiment view with 8 runs streaming)
 */
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ARCHITECTURES, type Architecture } from '../main/api/config.js';
import { AdapterPolicy } from '../main/api/engine-protocol.js';
import { registerWasmTrainingKernels } from '../main/trainer/backends/wasm/index.js';
import '../main/trainer/gradients.js';
import { PRESET_IDS } from '../main/lab/presets.js';
import { benchExperiment } from './experiment.js';
import { formatTable } from './format.js';
import { runIsolated } from './isolate.js';
import { runCase, type BenchRow, type CaseOptions } from './run-case.js';
import { runGpuCase } from './run-gpu-case.js';

const BACKENDS = ['tensorflow', 'wasm', 'webgpu', 'webgl', 'cpu'] as const;
/** Optional dependency; imported by name at run time so a missing install is a skip, not a crash. */
const NATIVE_PACKAGE: string = '@tensorflow/tfjs-node';
type BenchBackend = (typeof BACKENDS)[number];

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
  return n;
};

const program = new Command('bench')
  .description(
    'Training throughput per model, BN setting and backend (synthetic 32×32×3 data, one thread)',
  )
  .addOption(new Option('--model <name>', 'only this architecture').choices(ARCHITECTURES))
  .addOption(
    new Option('--backend <name>', 'only this backend (cpu runs only when asked)').choices(
      BACKENDS,
    ),
  )
  .option('--steps <n>', 'timed steps per case', positiveInt('--steps'), 5)
  .option('--warmup <n>', 'untimed steps first', positiveInt('--warmup'), 2)
  .option('--batch-size <n>', 'images per step', positiveInt('--batch-size'), 64)
  .option('--seed <n>', 'seed of weights and data', positiveInt('--seed'), 1)
  .option('--json', 'print a JSON array instead of the table')
  .addOption(
    new Option(
      '--experiment <preset>',
      'wall time of a whole preset at full width (wasm, default parallelism, then one at a time)',
    ).choices(PRESET_IDS),
  )
  .option('--seeds <n>', 'with --experiment: seeds per variant', positiveInt('--seeds'))
  .option(
    '--parallel <n>',
    "with --experiment: runs at once (default: the lab's, from cores and memory)",
    positiveInt('--parallel'),
  )
  .option('--no-compare', 'with --experiment: skip the one-at-a-time timing')
  .option('--view', 'frame rate and long tasks of the experiment view with 8 runs streaming')
  .option('--seconds <n>', 'with --view: how long to measure', positiveInt('--seconds'), 30)
  .addOption(
    new Option('--case <json>', 'internal: run one case in this process, print its row').hideHelp(),
  )
  .parse();

const opts = program.opts<{
  model?: Architecture;
  backend?: BenchBackend;
  steps: number;
  warmup: number;
  batchSize: number;
  seed: number;
  json?: boolean;
  case?: string;
  experiment?: string;
  seeds?: number;
  parallel?: number;
  compare: boolean;
  view?: boolean;
  seconds: number;
}>();
// With --json, stdout carries only the JSON; notes go to stderr.
const note = (line: string) => (opts.json ? console.error(line) : console.log(line));

/** Which backends can run here, and why the others are skipped. */
async function availableBackends(): Promise<BenchBackend[]> {
  const wanted: BenchBackend[] = opts.backend
    ? [opts.backend]
    : ['tensorflow', 'wasm', 'webgpu', 'webgl'];
  const out: BenchBackend[] = [];
  for (const b of wanted) {
    if (b === 'tensorflow') {
      try {
        await import(NATIVE_PACKAGE);
        out.push(b);
      } catch (error) {
        const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
        note(`skipping tensorflow (tfjs-node): not loadable here (${why})`);
        if (opts.backend) process.exitCode = 1;
      }
    } else if ((b === 'webgpu' || b === 'webgl') && !opts.backend) {
      // Unasked, only a hardware adapter is benchmarked: SwiftShader is not a GPU figure.
      const { probeChromium } = await import('../main/trainer/browser/chromium-engine.js');
      const found = (await probeChromium('hardware'))[b];
      if (typeof found !== 'string' && !found.software) out.push(b);
      else
        note(
          `skipping ${b}: no hardware adapter (${typeof found === 'string' ? found : 'software only'}); --backend ${b} benchmarks the software one`,
        );
    } else {
      out.push(b);
    }
  }
  if (!opts.backend)
    note(
      'skipping cpu: well under 1 image/s on these models; ask for it with --backend cpu (use few --steps)',
    );
  return out;
}

if (opts.view) {
  const { benchView } = await import('./view-fps.js');
  const result = await benchView(opts.seconds);
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else
    note(
      `experiment view, ${result.runs} runs streaming, ${result.seconds} s: median ${result.medianFps} fps, ` +
        `${result.longTasks} long tasks (longest ${Math.round(result.longestTaskMs)} ms), ` +
        `${result.batchPoints} per-batch points on the training curve`,
    );
  process.exit(0);
}
registerWasmTrainingKernels();
if (opts.case !== undefined) {
  // Child mode (see isolate.ts): one case, its row as one JSON line on stdout.
  const options = JSON.parse(opts.case) as CaseOptions;
  if (options.backend === 'tensorflow') await import(NATIVE_PACKAGE);
  const gpu = options.backend === 'webgpu' || options.backend === 'webgl';
  // Asked for by name, a GPU backend may run on a software adapter (labelled so in the row).
  const row = gpu
    ? await runGpuCase(options, AdapterPolicy.parse(process.env.BNLAB_GPU_ADAPTER ?? 'hardware'))
    : await runCase(options);
  console.log(JSON.stringify(row));
  process.exit(0);
}
// The case processes inherit this: asked for by name, a GPU backend may use a software adapter.
if (opts.backend === 'webgpu' || opts.backend === 'webgl') process.env.BNLAB_GPU_ADAPTER ??= 'any';
if (opts.experiment !== undefined) {
  const timings = await benchExperiment(
    fileURLToPath(import.meta.url),
    {
      preset: opts.experiment,
      seeds: opts.seeds,
      parallel: opts.parallel,
      compare: opts.compare,
      steps: opts.steps,
      warmup: opts.warmup,
      seed: opts.seed,
    },
    note,
  );
  if (opts.json) console.log(JSON.stringify(timings, null, 2));
  process.exit(0);
}
const models = opts.model ? [opts.model] : [...ARCHITECTURES];
const rows: BenchRow[] = [];
for (const backend of await availableBackends()) {
  for (const model of models) {
    for (const bn of [false, true]) {
      const row = runIsolated(fileURLToPath(import.meta.url), {
        model,
        bn,
        backend,
        steps: opts.steps,
        warmupSteps: opts.warmup,
        batchSize: opts.batchSize,
        seed: opts.seed,
      });
      rows.push(row);
      if (!opts.json)
        note(`  ${model} bn=${row.bn} ${backend}: ${row.imagesPerSecond.toFixed(1)} images/s`);
    }
  }
}
if (opts.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(formatTable(rows));
  console.log(
    `\n${opts.steps} timed steps after ${opts.warmup} warm-up steps per row, median step time; batch ${opts.batchSize}, one thread.` +
      '\nGFLOP/s = 3 × forward FLOPs per image × images/s. RSS = peak resident set (each row runs in its own process).' +
      '\nProbe overhead = (steps per CIFAR-10 epoch × step time + one probe of 256 images) ÷ (steps per epoch × step time).' +
      '\nNo tensor leak (tensor count equal before and after each row; a leak fails the run).' +
      `\nwasm kernel build: ${[...new Set(rows.flatMap((r) => r.kernels ?? []))].join(', ') || 'none'} (relaxed = fused multiply-add; BNLAB_WASM_KERNELS=simd128 pins the other).`,
  );
}
