/**
 * The pieces of a lab that trains through Redis, for the queue tests: `bnlab worker` processes
 * (real ones, so that a test can SIGKILL them) and an in-process lab whose launcher queues runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab } from '../../main/lab/service.js';
import type { Lab } from '../../main/lab/types.js';
import { RemoteRuns, REMOTE_PARALLEL } from '../../main/queue/remote-runs.js';

const BIN = fileURLToPath(new URL('../../bin/bnlab.js', import.meta.url));

export interface WorkerProcess {
  readonly pid: number;
  readonly output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `bnlab worker` on `backend` (wasm unless said) with short stall detection (and `env` added
 * to its environment); resolves once it waits for runs.
 */
export async function startWorkerProcess(
  redisUrl: string,
  env: Record<string, string> = {},
  backend = 'wasm',
): Promise<WorkerProcess> {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-worker-home-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      '--home',
      home,
      'worker',
      '--redis',
      redisUrl,
      '--backend',
      backend,
      // Test settings: a dead worker's run is back in the queue within about 3 s (default 30 s).
      '--lock-duration',
      '2000',
      '--stalled-interval',
      '1000',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('waiting for runs')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`bnlab worker exited with ${code}: ${output}`));
    });
  });
  return {
    pid: child.pid!,
    output: () => output,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/** A lab at `home` whose runs are queued on `redisUrl`; `close` closes the lab, then Redis. */
export async function openQueueLab(home: string, redisUrl: string): Promise<Lab> {
  const remote = await RemoteRuns.open({ redisUrl });
  const lab = await createLab({
    home,
    mode: 'cli',
    parallel: REMOTE_PARALLEL,
    launcher: remote.launcher,
    pushIntervalMs: 0,
  });
  return { ...lab, close: () => lab.close().finally(() => remote.close()) };
}
