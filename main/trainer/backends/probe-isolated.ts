/**
 * `bnlab doctor` and `lab.info` without loading any backend into the lab's process: each native
 * package is probed in its own short-lived child (never two native packages in one process, and
 * never libtensorflow or CUDA in the Electron main process), webgpu/webgl in another, in parallel.
 * Rows come back in `auto` order, the software adapters last.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { assertNever } from '../../api/events.js';
import type { BackendChoice } from '../../api/config.js';
import { BackendStatus } from '../../api/records.js';

// Chromium's start and SwiftShader's shader compiles take a while on a loaded machine.
const PROBE_TIMEOUT_MS = 300_000;
const GPU_ROWS = ['webgpu (hardware)', 'webgl (hardware)', 'webgpu (software)', 'webgl (software)'];

/** Rows of `which` from a child process; a child that fails becomes an unavailable row. */
function probeInChild(which: string): Promise<BackendStatus[]> {
  const self = fileURLToPath(import.meta.url);
  // From source: the .ts beside this file. Built by electron-vite, this module is a chunk in
  // out/electron/ and the probe entry is out/electron/probe-child.js.
  const entry = /probe-isolated\.(ts|js)$/.test(self)
    ? self.replace(/probe-isolated\.(ts|js)$/, 'probe-child.$1')
    : path.join(path.dirname(self), 'probe-child.js');
  const fromSource = entry.endsWith('.ts');
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve) => {
    const child = fork(entry, [which], {
      execArgv: fromSource ? ['--import', loader] : [],
      // Inside Electron, process.execPath is Electron: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    let rows: BackendStatus[] | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('message', (raw) => {
      const parsed = z.array(BackendStatus).safeParse(raw);
      if (parsed.success) rows = parsed.data;
    });
    const failed = (why: string): BackendStatus[] =>
      (which === 'gpu' ? GPU_ROWS : [which]).map((name) => ({
        name,
        package: '',
        available: false,
        device: null,
        detail: why,
      }));
    child.on('error', (error) => resolve(failed(`probe did not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const why = stderr.trim().split('\n').at(-1) || `probe exited (${signal ?? code})`;
      resolve(rows ?? failed(`probe failed: ${why}`));
    });
  });
}

/**
 * Every backend's row, each probed in a child process. `probeGpu` replaces the webgpu/webgl
 * child: the desktop app asks its own trainer window (electron/gpu-probe.ts), which is where it
 * trains them, not a system Chromium it may not have. A `probeGpu` that throws gives unavailable
 * rows saying why.
 */
export async function probeBackendsIsolated(
  probeGpu?: () => Promise<BackendStatus[]>,
): Promise<BackendStatus[]> {
  const gpuRows = probeGpu
    ? probeGpu().catch((error: unknown) =>
        GPU_ROWS.map((name) => ({
          name,
          package: '',
          available: false,
          device: null,
          detail: `probe failed: ${error instanceof Error ? error.message : String(error)}`,
        })),
      )
    : probeInChild('gpu');
  const [gpuNative, gpu, cpuNative, wasm, cpu] = await Promise.all([
    probeInChild('tensorflow (GPU)'),
    gpuRows,
    probeInChild('tensorflow (CPU)'),
    probeInChild('wasm'),
    probeInChild('cpu'),
  ]);
  const hardware = gpu.filter((r) => r.name.endsWith('(hardware)'));
  const others = gpu.filter((r) => !r.name.endsWith('(hardware)'));
  return [...gpuNative, ...hardware, ...cpuNative, ...wasm, ...cpu, ...others];
}

/**
 * The rows a run of `choice` could train on, each probed in a child: `auto` all of them, a named
 * backend only its own (a `bnlab worker --backend wasm` starts no Chromium and loads no native
 * package).
 */
export async function probeBackendsFor(choice: BackendChoice): Promise<BackendStatus[]> {
  switch (choice) {
    case 'auto':
      return probeBackendsIsolated();
    case 'tensorflow':
      return (
        await Promise.all([probeInChild('tensorflow (GPU)'), probeInChild('tensorflow (CPU)')])
      ).flat();
    case 'webgpu':
    case 'webgl': {
      const rows = await probeInChild('gpu');
      return rows.filter((row) => row.name.startsWith(choice));
    }
    case 'wasm':
    case 'cpu':
      return probeInChild(choice);
    default:
      return assertNever(choice);
  }
}

/**
 * The row a run of `choice` trains on, from rows in `auto` order: for `auto` the first available
 * one (software adapters come after cpu, so `auto` never takes them), for a named backend its first
 * available row (`webgpu (hardware)` before `webgpu (software)`). `{ why }` says why none is usable.
 */
export function rowForChoice(
  rows: BackendStatus[],
  choice: BackendChoice,
): { row: BackendStatus; passed: BackendStatus[] } | { why: string } {
  const candidates = choice === 'auto' ? rows : rows.filter((r) => r.name.startsWith(choice));
  const index = candidates.findIndex((r) => r.available);
  if (index >= 0) return { row: candidates[index]!, passed: candidates.slice(0, index) };
  const detail = [...new Set(candidates.map((r) => r.detail))].join('; ');
  return {
    why:
      choice === 'auto'
        ? `no backend is available${detail ? `: ${detail}` : ''}`
        : `backend "${choice}" is not available here: ${detail || 'unknown backend'}`,
  };
}

/** Why the chosen row was taken, and why the better ones were not: `detail; not used: a: why; …`. */
export function describeChoice(chosen: { row: BackendStatus; passed: BackendStatus[] }): string {
  const passed = chosen.passed.map((b) => `${b.name}: ${b.detail}`);
  return [chosen.row.detail, ...(passed.length > 0 ? [`not used: ${passed.join('; ')}`] : [])].join(
    '; ',
  );
}
