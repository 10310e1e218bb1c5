/**
 * Trainers in the Electron app: `utilityProcess.fork` of the bundled trainer entry
 * (`out/electron/trainer.js`, built from electron/trainer-entry.ts, which runs
 * main/trainer/worker.ts). A utility process is a Node child supervised by Chromium: a native
 * crash in tfjs kills only it, never the app (DESIGN §1).
 */
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { utilityProcess } from 'electron';
import {
  KILL_GRACE_MS,
  type TrainerLauncher,
  type TrainerProcess,
} from '../main/trainer/launcher.js';

/** The built trainer entry, next to the built main entry. */
export function trainerEntryPath(): string {
  return path.join(import.meta.dirname, 'trainer.js');
}

/**
 * Signals that end a process without its consent; their names are given to the supervisor.
 * Not SIGHUP (1) or SIGINT (2): the trainer's own exit codes are 0–2.
 */
const FATAL_SIGNALS = [
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGSEGV',
  'SIGTERM',
  'SIGSYS',
] as const;

/**
 * The signal a utility process's exit code stands for, or null for an ordinary exit. Electron
 * reports only a code, "obtained from waitpid" on POSIX: a signal death is the signal's number
 * (with 0x80 when it dumped core); an ordinary exit may come as the exit status or shifted left
 * by 8 as in the raw waitpid status. Windows codes are exit codes.
 */
export function exitSignal(code: number, platform = process.platform): string | null {
  if (platform === 'win32' || code <= 0 || code >= 256) return null;
  const number = code & 0x7f;
  return FATAL_SIGNALS.find((name) => constants.signals[name] === number) ?? null;
}

/** The exit code proper of a utility process's exit event (see `exitSignal`). */
function exitStatus(code: number, platform = process.platform): number {
  return platform !== 'win32' && code >= 256 && (code & 0xff) === 0 ? code >> 8 : code;
}

/**
 * A `TrainerLauncher` that forks `entry` as a utility process. `kill()` is `utilityProcess.kill()`
 * (SIGTERM on POSIX: the trainer stops after its batch), then SIGKILL by pid after `killGraceMs`
 * if it is still there (a trainer stuck in a native call never runs its SIGTERM handler).
 */
export function utilityLauncher(
  entry: string = trainerEntryPath(),
  { killGraceMs = KILL_GRACE_MS }: { killGraceMs?: number } = {},
): TrainerLauncher {
  return ({ env } = {}) => {
    if (!existsSync(entry))
      return unstartable(new Error(`trainer entry not found: ${entry} (run \`npm run build\`)`));
    const child = utilityProcess.fork(entry, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'BN·Dropout Lab trainer',
    });
    let exited = false;
    let killedWith: string | null = null;
    let escalation: NodeJS.Timeout | undefined;
    child.once('exit', () => {
      exited = true;
      clearTimeout(escalation);
    });
    const forceKill = () => {
      const pid = child.pid;
      if (exited || pid === undefined) return;
      try {
        process.kill(pid, 'SIGKILL');
        killedWith = 'SIGKILL';
      } catch {
        // Gone between the check and the kill: its exit event says how it ended.
      }
    };
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (exited) return false;
        child.postMessage(message);
        return true;
      },
      onMessage: (listener) => void child.on('message', (message: unknown) => listener(message)),
      onExit: (listener) =>
        void child.once('exit', (code) => {
          const signal = killedWith ?? exitSignal(code);
          listener(signal ? null : exitStatus(code), signal);
        }),
      // Spawn failures surface as an `exit` before `spawn`; a V8 fatal error as `error`.
      onSpawnError: (listener) =>
        void child.once('error', (type, location) => listener(new Error(`${type} at ${location}`))),
      onStderr: (listener) =>
        void child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
      kill() {
        if (exited) return;
        child.kill();
        escalation ??= setTimeout(forceKill, killGraceMs);
      },
    };
  };
}

/** A process that could not be started: reports the error once listeners are attached. */
function unstartable(error: Error): TrainerProcess {
  return {
    pid: undefined,
    send: () => false,
    onMessage: () => undefined,
    onExit: () => undefined,
    onSpawnError: (listener) => void setImmediate(() => listener(error)),
    onStderr: () => undefined,
    kill: () => undefined,
  };
}
