/** A real trainer launcher for a plain JS script: tests of the supervisor use misbehaving trainers. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childTrainerProcess, type TrainerLauncher } from '../../main/trainer/launcher.js';

/** Launches `test/fixtures/trainers/<name>.mjs` as a child process with an IPC channel. */
export function scriptLauncher(
  name: string,
  env: Record<string, string> = {},
  options: { killGraceMs?: number } = {},
): TrainerLauncher {
  const entry = fileURLToPath(new URL(`../fixtures/trainers/${name}.mjs`, import.meta.url));
  return () => {
    const child = fork(entry, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    return childTrainerProcess(child, options);
  };
}
