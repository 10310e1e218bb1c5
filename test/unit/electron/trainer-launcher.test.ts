import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunConfig } from '../../../main/api/config.js';
import type { TrainerEvent } from '../../../main/api/events.js';
import { superviseTrainer } from '../../../main/lab/supervisor.js';
import { exitSignal, utilityLauncher } from '../../../electron/trainer-launcher.js';

import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

class FakeUtilityProcess extends EventEmitter {
  pid = 4242;
  stderr = new EventEmitter();
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

/**
 * A utility process backed by a real Node child (a trainer that ignores `stop` and SIGTERM), so
 * the launcher's SIGKILL by pid hits a real process. `exit` reports a code only, as Electron's.
 */
class ChildBackedUtilityProcess extends EventEmitter {
  private readonly child = fork(
    fileURLToPath(new URL('../../fixtures/trainers/deaf.mjs', import.meta.url)),
    [],
    { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
  );
  readonly pid = this.child.pid;
  readonly stderr = null;
  constructor() {
    super();
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code, signal) =>
      this.emit('exit', code ?? (signal ? constants.signals[signal] : 1)),
    );
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  kill = vi.fn(() => this.child.kill('SIGTERM'));
}

const start = {
  kind: 'start' as const,
  config: RunConfig.parse({
    runId: 'r1',
    experimentId: 'e1',
    experimentName: 'exp',
    dataset: 'mnist',
    variant: { name: 'v' },
    seed: 1,
    training: {},
  }),
  runDir: '/tmp/unused',
  home: '/tmp/unused',
  resumeFromEpoch: 0,
};

let dir: string;
let entry: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bnlab-launcher-'));
  entry = path.join(dir, 'trainer.js');
  await writeFile(entry, '');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('utilityProcess trainer launcher', () => {
  it('forks the trainer entry as a utility process and relays messages, stderr and exit', () => {
    const child = new FakeUtilityProcess();
    fakeElectron.utilityProcess.fork.mockReturnValue(child);
    const trainer = utilityLauncher(entry)({ env: { BNLAB_TEST: '1' } });
    const [modulePath, args, options] = fakeElectron.utilityProcess.fork.mock.lastCall ?? [];
    expect(modulePath).toBe(entry);
    expect(args).toEqual([]);
    expect(options?.env).toMatchObject({ BNLAB_TEST: '1' });
    expect(trainer.pid).toBe(4242);

    expect(trainer.send({ kind: 'stop' })).toBe(true);
    expect(child.postMessage).toHaveBeenCalledWith({ kind: 'stop' });
    const messages: unknown[] = [];
    const stderr: string[] = [];
    const exits: unknown[] = [];
    trainer.onMessage((m) => messages.push(m));
    trainer.onStderr((t) => stderr.push(t));
    trainer.onExit((code, signal) => exits.push([code, signal]));
    child.emit('message', { kind: 'started' });
    child.stderr.emit('data', Buffer.from('warning: slow'));
    trainer.kill();
    expect(child.kill).toHaveBeenCalled();
    child.emit('exit', 3);
    expect(messages).toEqual([{ kind: 'started' }]);
    expect(stderr).toEqual(['warning: slow']);
    expect(exits).toEqual([[3, null]]);
    expect(trainer.send({ kind: 'stop' })).toBe(false);
  });

  it('reports a missing trainer entry as a spawn error instead of throwing', async () => {
    const trainer = utilityLauncher(path.join(dir, 'missing.js'))({});
    const error = await new Promise<Error>((resolve) => trainer.onSpawnError(resolve));
    expect(error.message).toContain('missing.js');
    expect(trainer.send({ kind: 'stop' })).toBe(false);
  });

  it('kills a trainer that ignores SIGTERM after the grace period; its run ends interrupted, naming the signal', async () => {
    const child = new ChildBackedUtilityProcess();
    fakeElectron.utilityProcess.fork.mockReturnValue(child);
    const events: TrainerEvent[] = [];
    const run = superviseTrainer({
      launcher: utilityLauncher(entry, { killGraceMs: 300 }),
      start,
      onEvent: (event) => events.push(event),
      graceMs: 200,
    });
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
    run.interrupt('the app was quit while the run was training');
    expect(await run.done).toMatchObject({
      kind: 'interrupted',
      reason:
        'the app was quit while the run was training; the trainer did not stop in time and was killed (SIGKILL)',
    });
    // Asked politely first: utilityProcess.kill() is SIGTERM.
    expect(child.kill).toHaveBeenCalledTimes(1);
  });

  it('names the signal behind an exit code: an OOM kill is SIGKILL, an abort with a core dump SIGABRT', () => {
    const child = new FakeUtilityProcess();
    fakeElectron.utilityProcess.fork.mockReturnValue(child);
    const exits: unknown[] = [];
    utilityLauncher(entry)({}).onExit((code, signal) => exits.push([code, signal]));
    child.emit('exit', 9);
    expect(exits).toEqual([[null, 'SIGKILL']]);
    expect(exitSignal(134, 'linux')).toBe('SIGABRT');
    expect(exitSignal(15, 'darwin')).toBe('SIGTERM');
    // Ordinary exits, as the status or as the raw waitpid status, and Windows codes.
    expect(exitSignal(1, 'linux')).toBeNull();
    expect(exitSignal(256, 'linux')).toBeNull();
    expect(exitSignal(9, 'win32')).toBeNull();
  });
});
