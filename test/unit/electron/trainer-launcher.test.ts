import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { utilityLauncher } from '../../../electron/trainer-launcher.js';

import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

class FakeUtilityProcess extends EventEmitter {
  pid = 4242;
  stderr = new EventEmitter();
  postMessage = vi.fn();
  kill = vi.fn(() => true);
}

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
    child.emit('exit', 3);
    expect(messages).toEqual([{ kind: 'started' }]);
    expect(stderr).toEqual(['warning: slow']);
    expect(exits).toEqual([[3, null]]);
    expect(trainer.send({ kind: 'stop' })).toBe(false);
    trainer.kill();
    expect(child.kill).toHaveBeenCalled();
  });

  it('reports a missing trainer entry as a spawn error instead of throwing', async () => {
    const trainer = utilityLauncher(path.join(dir, 'missing.js'))({});
    const error = await new Promise<Error>((resolve) => trainer.onSpawnError(resolve));
    expect(error.message).toContain('missing.js');
    expect(trainer.send({ kind: 'stop' })).toBe(false);
  });
});
