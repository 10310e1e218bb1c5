/**
 * Runs each benchmark case in a fresh Node process (this same script with `--case`), so a row's
 * peak RSS is its own (the wasm heap never shrinks, so rows sharing a process would inherit the
 * previous rows' heap) and every case starts from a cold JIT and an empty tensor registry.
 */
import { spawnSync } from 'node:child_process';
import { relaxedSimdExecArgv } from '../main/trainer/backends/wasm/index.js';
import type { BenchRow, CaseOptions } from './run-case.js';

/** Runs `options` in a child process of `script`; throws with the child's error output on failure. */
export function runIsolated(script: string, options: CaseOptions): BenchRow {
  const child = spawnSync(
    process.execPath,
    // As the lab's trainer processes are started: with relaxed SIMD where Node needs a flag for it.
    [
      ...new Set([...process.execArgv, ...relaxedSimdExecArgv()]),
      script,
      '--case',
      JSON.stringify(options),
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 2 ** 20,
    },
  );
  const label = `${options.model} (bn ${options.bn ? 'before-activation' : 'none'}) on ${options.backend}`;
  if (child.error) throw new Error(`benchmark ${label}: could not start: ${child.error.message}`);
  if (child.status !== 0) {
    const lines = child.stderr
      .split('\n')
      .filter((l) => l.trim() !== '' && !/Hi, looks like|^=+$|tfjs-node for more/.test(l));
    throw new Error(
      `benchmark ${label} failed (exit ${child.status}):\n${lines.slice(-15).join('\n')}`,
    );
  }
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as BenchRow;
}
