import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  RELAXED_SIMD_FLAG,
  relaxedSimdExecArgv,
} from '../../../../../../main/trainer/backends/wasm/simd/kernel-build.js';

const moduleUrl = pathToFileURL(
  new URL('../../../../../../main/trainer/backends/wasm/simd/kernel-build.ts', import.meta.url)
    .pathname,
).href;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The build a fresh Node process picks, started with `flags` and BNLAB_WASM_KERNELS=`choice`. */
function buildInChild(flags: string[], choice: string): { build: string; stderr: string } {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      tsx,
      ...flags,
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(moduleUrl)}); console.log(m.selectedKernelBuild().build);`,
    ],
    { encoding: 'utf8', env: { ...process.env, BNLAB_WASM_KERNELS: choice } },
  );
  return { build: child.stdout.trim(), stderr: child.stderr };
}

describe('choosing the wasm kernel build', () => {
  it('asks for the V8 flag only on runtimes before V8 11.4 (Node 20)', () => {
    expect(relaxedSimdExecArgv('11.3.244.8-node.38')).toEqual([RELAXED_SIMD_FLAG]);
    expect(relaxedSimdExecArgv('10.2.154.26-node.26')).toEqual([RELAXED_SIMD_FLAG]);
    expect(relaxedSimdExecArgv('11.4.183.0')).toEqual([]);
    expect(relaxedSimdExecArgv('12.4.254.21-node.33')).toEqual([]);
    expect(relaxedSimdExecArgv('14.0.1')).toEqual([]);
  });

  it('a process started as trainers are (with relaxedSimdExecArgv) gets the FMA build', () => {
    expect(buildInChild(relaxedSimdExecArgv(), 'auto').build).toBe('relaxed');
  });

  it('without the flag a runtime that needs it falls back to SIMD128', () => {
    const needsFlag = relaxedSimdExecArgv().length > 0;
    expect(buildInChild([], 'auto').build).toBe(needsFlag ? 'simd128' : 'relaxed');
  });

  it('BNLAB_WASM_KERNELS pins a build, and rejects unknown values', () => {
    expect(buildInChild(relaxedSimdExecArgv(), 'simd128').build).toBe('simd128');
    const bad = buildInChild([], 'avx');
    expect(bad.build).toBe('');
    expect(bad.stderr).toMatch(/BNLAB_WASM_KERNELS must be auto, relaxed or simd128/);
  });
});
