/**
 * Trainers in the Electron app: `utilityProcess.fork` of the bundled trainer entry
 * (`out/electron/trainer.js`, built from electron/trainer-entry.ts, which runs
 * main/trainer/worker.ts). A utility process is a Node child supervised by Chromium: a native
 * crash in tfjs kills only it, never the app (DESIGN §1).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { utilityProcess } from 'electron';
import type { TrainerLauncher, TrainerProcess } from '../main/trainer/launcher.js';

/** The built trainer entry, next to the built main entry. */
export function trainerEntryPath(): string {
  return path.join(import.meta.dirname, 'trainer.js');
}

/** A `TrainerLauncher` that forks `entry` as a utility process. */
export function utilityLauncher(entry: string = trainerEntryPath()): TrainerLauncher {
  return ({ env } = {}) => {
    if (!existsSync(entry))
      return unstartable(new Error(`trainer entry not found: ${entry} (run \`npm run build\`)`));
    const child = utilityProcess.fork(entry, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      serviceName: 'BN·Dropout Lab trainer',
    });
    let exited = false;
    child.once('exit', () => (exited = true));
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
      onExit: (listener) => void child.once('exit', (code) => listener(code, null)),
      // Spawn failures surface as an `exit` before `spawn`; a V8 fatal error as `error`.
      onSpawnError: (listener) =>
        void child.once('error', (type, location) => listener(new Error(`${type} at ${location}`))),
      onStderr: (listener) =>
        void child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
      kill: () => void child.kill(),
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
