/**
 * Backend selection (DESIGN §3). `auto` walks the chain tfjs-node-gpu (only if it really found a
 * CUDA device) → tfjs-node → wasm (with the project's training kernels) → cpu, and says why each
 * better one was passed over. An explicit choice that cannot be honoured is an error, never a
 * silent fallback. The native packages are optional dependencies: imported dynamically, and at
 * most one of them per process — both register the same `tensorflow` kernels, and a second one
 * re-registers every kernel over the first and mislabels the run. webgpu/webgl run in a tensor
 * engine elsewhere (select-trainer.ts); this module selects backends of this process only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BackendChoice } from '../../api/config.js';
import { assertNever, type BackendInfo } from '../../api/events.js';
import type { BackendStatus } from '../../api/records.js';
import { bundledWasmDir } from './wasm/binaries.js';
import { registerWasmTrainingKernels } from './wasm/index.js';

const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';
const WASM = '@tensorflow/tfjs-backend-wasm';
const CPU = '@tensorflow/tfjs-backend-cpu';
const GPU_HINT =
  'needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 (npm install @tensorflow/tfjs-node-gpu)';

type Attempt = { ok: true; info: BackendInfo } | { ok: false; why: string };

/** The native package this process has loaded, if any (never two: see the header). */
let loadedNative: typeof NODE_GPU | typeof NODE_CPU | null = null;

/** Switches tfjs to the chosen backend and describes it; throws when `choice` cannot be honoured. */
export async function selectBackend(choice: BackendChoice): Promise<BackendInfo> {
  switch (choice) {
    case 'auto': {
      const passed: string[] = [];
      for (const attempt of [tryNative(true), tryNative(false), tryWasm(), tryCpu()]) {
        const result = await attempt();
        if (result.ok) {
          const why = passed.length > 0 ? `; not used: ${passed.join('; ')}` : '';
          return { ...result.info, reason: `${result.info.reason}${why}` };
        }
        passed.push(result.why);
      }
      throw new Error(`no tfjs backend could start: ${passed.join('; ')}`);
    }
    case 'tensorflow': {
      const gpu = await tryNative(true)();
      if (gpu.ok) return gpu.info;
      const native = await tryNative(false)();
      if (native.ok) return { ...native.info, reason: `${native.info.reason}; ${gpu.why}` };
      throw new Error(
        `backend "tensorflow" is not available here: ${gpu.why}; ${native.why}. Use --backend wasm or cpu, or install the native package`,
      );
    }
    case 'webgpu':
    case 'webgl':
      throw new Error(
        `backend "${choice}" runs in a browser engine, not in this process (selectTrainerBackend)`,
      );
    case 'wasm':
    case 'cpu': {
      const result = await (choice === 'wasm' ? tryWasm() : tryCpu())();
      if (result.ok) return result.info;
      throw new Error(`backend "${choice}" is not available: ${result.why}`);
    }
    default:
      return assertNever(choice);
  }
}

/** tfjs-node-gpu on a CUDA device, or why not (without CUDA it stays loaded, for the CPU). */
export function selectCudaBackend(): Promise<Attempt> {
  return tryNative(true)();
}

/** Backends of a trainer process that `bnlab doctor` probes, each in its own process. */
export const LOCAL_PROBES = ['tensorflow (GPU)', 'tensorflow (CPU)', 'wasm', 'cpu'] as const;
export type LocalProbe = (typeof LOCAL_PROBES)[number];

/**
 * One `bnlab doctor` row: whether `which` works in this process, and why (not). Meant for a
 * short-lived process (probe-isolated.ts): a native package stays loaded once imported.
 */
export async function probeBackend(which: LocalProbe): Promise<BackendStatus> {
  const [pkg, attempt] =
    which === 'tensorflow (GPU)'
      ? [NODE_GPU, tryNative(true)]
      : which === 'tensorflow (CPU)'
        ? [NODE_CPU, tryNative(false)]
        : which === 'wasm'
          ? [WASM, tryWasm()]
          : [CPU, tryCpu()];
  const result = await attempt();
  return result.ok
    ? {
        name: which,
        package: result.info.package,
        available: true,
        device: result.info.device,
        detail: result.info.reason,
      }
    : { name: which, package: pkg, available: false, device: null, detail: result.why };
}

function tryNative(gpu: boolean): () => Promise<Attempt> {
  const pkg = gpu ? NODE_GPU : NODE_CPU;
  return async () => {
    if (loadedNative === NODE_GPU && !gpu) return nativeCpuOfGpuPackage();
    if (loadedNative && loadedNative !== pkg)
      return {
        ok: false,
        why: `${pkg} not loaded: ${loadedNative} is (one native package per process)`,
      };
    let mod: { version?: { [key: string]: string } };
    try {
      // A variable specifier: the package is optional and may be absent at type-check time too.
      mod = (await import(pkg)) as typeof mod;
    } catch (error) {
      const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      const what = missing
        ? `${pkg} is not installed`
        : `${pkg} did not load (${firstLine(error)})`;
      return { ok: false, why: `${what}${gpu ? `; it ${GPU_HINT}` : ''}` };
    }
    loadedNative = pkg;
    try {
      if (!(await tf.setBackend('tensorflow')))
        return { ok: false, why: `${pkg} loaded but its backend did not start` };
      const usingGpu =
        (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
      if (gpu && !usingGpu)
        return { ok: false, why: `${pkg} loaded but found no CUDA device; it ${GPU_HINT}` };
      return {
        ok: true,
        info: {
          name: 'tensorflow',
          device: usingGpu ? 'gpu' : 'cpu',
          package: pkg,
          version: mod.version?.['tfjs-node'] ?? tf.version_core,
          flags: { cudaDevice: usingGpu },
          reason: usingGpu ? `${pkg} found a CUDA device` : `${pkg} (native CPU)`,
        },
      };
    } catch (error) {
      return { ok: false, why: `${pkg} failed to start: ${firstLine(error)}` };
    }
  };
}

/**
 * tfjs-node-gpu loaded but found no CUDA device: it is the process's native package, and it runs
 * on the CPU as tfjs-node would — so it is used as such rather than loading tfjs-node beside it.
 */
async function nativeCpuOfGpuPackage(): Promise<Attempt> {
  if (!(await tf.setBackend('tensorflow')))
    return { ok: false, why: `${NODE_GPU} is loaded but its backend did not start` };
  return {
    ok: true,
    info: {
      name: 'tensorflow',
      device: 'cpu',
      package: NODE_GPU,
      version: tf.version_core,
      flags: { cudaDevice: false },
      reason: `${NODE_GPU} on the CPU (no CUDA device; ${NODE_CPU} is not loaded beside it)`,
    },
  };
}

function tryWasm(): () => Promise<Attempt> {
  return async () => {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const bundled = bundledWasmDir();
      if (bundled !== null) wasm.setWasmPaths(bundled);
      const customKernels = registerWasmTrainingKernels();
      if (!(await tf.setBackend('wasm'))) return { ok: false, why: `${WASM} did not initialise` };
      return {
        ok: true,
        info: {
          name: 'wasm',
          device: 'cpu',
          package: WASM,
          version: wasm.version_wasm,
          flags: {
            simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
            threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
            customKernels: customKernels.join(','),
          },
          reason: `${WASM} with the project's training kernels (${customKernels.join(', ')})`,
        },
      };
    } catch (error) {
      return { ok: false, why: `${WASM} failed to start: ${firstLine(error)}` };
    }
  };
}

function tryCpu(): () => Promise<Attempt> {
  return async () => {
    try {
      const cpu = await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) return { ok: false, why: `${CPU} did not initialise` };
      return {
        ok: true,
        info: {
          name: 'cpu',
          device: 'cpu',
          package: CPU,
          version: cpu.version_cpu,
          flags: {},
          reason: `${CPU} (plain JavaScript: correct but slow)`,
        },
      };
    } catch (error) {
      return { ok: false, why: `${CPU} failed to start: ${firstLine(error)}` };
    }
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
