/**
 * How a trainer process is started. Headless (CLI, browser mode, tests) it is
 * `child_process.fork`; the Electron app passes its own launcher built on `utilityProcess.fork`
 * (electron/trainer-launcher.ts). The supervisor (main/lab/supervisor.ts) only sees this interface.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relaxedSimdExecArgv } from './backends/wasm/simd/kernel-build.js';

/** A started trainer process, whatever started it. */
export interface TrainerProcess {
  readonly pid: number | undefined;
  /** Sends one message (a `ParentMessage`); false when the channel is already closed. */
  send(message: unknown): boolean;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone: exit code, or the signal that killed it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Called when the process could not be started at all (bad path, spawn error). */
  onSpawnError(listener: (error: Error) => void): void;
  /** Text the trainer wrote to stderr (kept for failure messages). */
  onStderr(listener: (text: string) => void): void;
  /**
   * Ends the process: SIGTERM (the trainer stops after its current batch), then SIGKILL if it is
   * still there after the launcher's grace period (`KILL_GRACE_MS`). On Windows both are a hard
   * kill. The exit then reports the signal that ended it.
   */
  kill(): void;
}

/** How long a trainer has after SIGTERM before SIGKILL. */
export const KILL_GRACE_MS = 5_000;

export type TrainerLauncher = (options: { env?: Record<string, string> }) => TrainerProcess;

/** Path of the worker entry; `.ts` when running from source (tsx), `.js` when built. */
export function workerEntryPath(): string {
  const self = fileURLToPath(import.meta.url);
  return self.replace(/launcher\.(ts|js)$/, 'worker.$1');
}

/** file: URL of tsx's ESM loader, as this package resolves it. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** The headless launcher: a Node child process with an IPC channel. */
export const forkLauncher: TrainerLauncher = ({ env } = {}) => {
  const entry = workerEntryPath();
  const fromSource = entry.endsWith('.ts');
  const child = fork(entry, [], {
    // tsx's loader lets the worker run from TypeScript source, as the CLI does. Resolved here,
    // not by the child: `--import tsx` would be looked up from the user's working directory.
    // Node 20 validates the relaxed-SIMD kernels (fused multiply-add) only with a V8 flag.
    execArgv: [...(fromSource ? ['--import', tsxLoaderUrl()] : []), ...relaxedSimdExecArgv()],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  return childTrainerProcess(child);
};

/** A forked Node child process (with an IPC channel and piped stderr) as a TrainerProcess. */
export function childTrainerProcess(
  child: ChildProcess,
  { killGraceMs = KILL_GRACE_MS }: { killGraceMs?: number } = {},
): TrainerProcess {
  let exited = false;
  let escalation: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    exited = true;
    clearTimeout(escalation);
  });
  return {
    pid: child.pid,
    send: (message) => child.connected && child.send(message as object),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
    onSpawnError: (listener) => child.once('error', listener),
    onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
    kill() {
      if (exited) return;
      child.kill('SIGTERM');
      escalation ??= setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, killGraceMs);
    },
  };
}
