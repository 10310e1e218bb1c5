/** A real trainer launcher for a plain JS script: tests of the supervisor use misbehaving trainers. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrainerLauncher } from '../../main/trainer/launcher.js';

/** Launches `test/fixtures/trainers/<name>.mjs` as a child process with an IPC channel. */
export function scriptLauncher(name: string, env: Record<string, string> = {}): TrainerLauncher {
  const entry = fileURLToPath(new URL(`../fixtures/trainers/${name}.mjs`, import.meta.url));
  return () => {
    const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ...env } });
    return {
      pid: child.pid,
      send: (message) => child.connected && child.send(message as object),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
      onSpawnError: (listener) => child.once('error', listener),
      onStderr: (listener) => child.stderr?.on('data', (chunk: Buffer) => listener(chunk.toString())),
      kill: () => child.kill('SIGKILL'),
    };
  };
}
