/**
 * `utilityProcess.fork` as a Node child: `child_process.fork` with an IPC channel (structured
 * clone, like `postMessage`) and `parent-port.ts` preloaded to give the child `process.parentPort`.
 * Events follow Electron's: `spawn`, `message`, `exit` with a code only (a signal death reports
 * the signal's number, as Chromium's waitpid-based code does on POSIX), `stderr` a stream.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { tsxImport } from './tsx.js';

const PARENT_PORT = new URL('./parent-port.ts', import.meta.url).href;

/** Every utility process started, so the app's exit can reap what is left (as Chromium does). */
export const children = new Set<StandInUtilityProcess>();

interface ForkOptions {
  env?: Record<string, string | undefined>;
  stdio?: unknown;
  serviceName?: string;
}

export class StandInUtilityProcess extends EventEmitter {
  readonly stderr: Readable | null;
  private readonly child: ChildProcess;
  /** What happened to the process, for the test to read (via the control channel). */
  exitCode: number | null = null;

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super();
    const pipeStderr = Array.isArray(options.stdio) && options.stdio[2] === 'pipe';
    this.child = fork(modulePath, args, {
      env: options.env,
      execArgv: [...tsxImport(), '--import', PARENT_PORT],
      stdio: ['ignore', 'inherit', pipeStderr ? 'pipe' : 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.stderr = this.child.stderr;
    children.add(this);
    this.child.once('spawn', () => this.emit('spawn'));
    this.child.on('message', (data: unknown) => this.emit('message', data));
    this.child.once('error', (error) => this.emit('error', 'FatalError', error.message, ''));
    this.child.once('exit', (code, signal) => {
      children.delete(this);
      this.exitCode = code ?? (signal ? constants.signals[signal] : 1);
      this.emit('exit', this.exitCode);
    });
  }

  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }

  /** Electron: SIGTERM on POSIX. */
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  /** What Chromium does to a utility process when the browser process exits. */
  reap(): void {
    this.child.kill('SIGKILL');
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: ForkOptions = {}) =>
    new StandInUtilityProcess(modulePath, args, options),
};
