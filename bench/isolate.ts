/**
 * Runs each benchmark case in a fresh Node process (this same script with `--case`), so a row's
 * peak RSS is its own (the wasm heap never shrinks, so rows sharing a process would inherit the
 * previous rows' heap) and every case starts from a cold JIT and an empty tensor registry.
 */
import { spawn, spawnSync } from 'node:child_process';
import { relaxedSimdExecArgv } from '../main/trainer/backends/wasm/index.js';
import type { BenchRow, CaseOptions } from './run-case.js';

/** The child's command line: as the lab's trainers, with relaxed SIMD where Node needs a flag. */
function childArgs(script: string, options: CaseOptions): string[] {
  return [
    ...new Set([...process.execArgv, ...relaxedSimdExecArgv()]),
    script,
    '--case',
    JSON.stringify(options),
  ];
}

const labelOf = (o: CaseOptions) =>
  o.variant?.name ?? `${o.model} (bn ${o.bn ? 'before-activation' : 'none'})` + ` on ${o.backend}`;

/** The row a finished child printed, or an error with its last stderr lines. */
function rowOf(options: CaseOptions, status: number | null, stdout: string, stderr: string) {
  if (status !== 0) {
    const lines = stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !/Hi, looks like|^=+$|tfjs-node for more/.test(l));
    throw new Error(
      `benchmark ${labelOf(options)} failed (exit ${status}):\n${lines.slice(-15).join('\n')}`,
    );
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as BenchRow;
}

/** Runs `options` in a child process of `script`; throws with the child's error output on failure. */
export function runIsolated(script: string, options: CaseOptions): BenchRow {
  const child = spawnSync(process.execPath, childArgs(script, options), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 2 ** 20,
  });
  if (child.error)
    throw new Error(`benchmark ${labelOf(options)}: could not start: ${child.error.message}`);
  return rowOf(options, child.status, child.stdout, child.stderr);
}

/** As runIsolated, without blocking (several cases side by side); also the child's wall time. */
export function runIsolatedAsync(
  script: string,
  options: CaseOptions,
): Promise<{ row: BenchRow; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, childArgs(script, options), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (e) =>
      reject(new Error(`benchmark ${labelOf(options)}: could not start: ${e.message}`)),
    );
    child.once('close', (status) => {
      try {
        resolve({ row: rowOf(options, status, stdout, stderr), wallMs: performance.now() - t0 });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
