import { tmpdir } from 'node:os';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { attachIpc, handleLabCall, readMenuState } from '../../../electron/ipc.js';
import { createStubLab, type StubLab } from '../main/server/stub-lab.js';
import { FakeBrowserWindow, FakeFrame } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

let lab: StubLab;
let window: FakeBrowserWindow;
const win = () => window as unknown as BrowserWindow;

/** An invoke event as Electron builds it, from `frame` of `window`'s web contents. */
function eventFrom(frame: FakeFrame | null, sender = window.webContents): IpcMainInvokeEvent {
  return { senderFrame: frame, sender } as unknown as IpcMainInvokeEvent;
}

beforeEach(() => {
  lab = createStubLab(tmpdir());
  window = new FakeBrowserWindow({});
});

describe('lab:call sender check', () => {
  it('serves the main frame of the main window showing app://', async () => {
    const reply = await handleLabCall(lab, win(), eventFrom(window.webContents.mainFrame), {
      method: 'runs.stop',
      params: { id: 'run-1' },
    });
    expect(reply).toEqual({ ok: true, result: { ok: true } });
    expect(lab.calls).toEqual([{ method: 'runs.stop', params: { id: 'run-1' } }]);
    // Another wrapper of the same top-level frame (same process and routing ids) is the same sender.
    const sameFrame = new FakeFrame('app://lab/index.html#/library', null, 1, 1);
    expect(
      await handleLabCall(lab, win(), eventFrom(sameFrame), {
        method: 'runs.stop',
        params: { id: 'run-2' },
      }),
    ).toEqual({
      ok: true,
      result: { ok: true },
    });
  });

  it('refuses a page of another origin, a subframe, another window and a vanished frame', async () => {
    const payload = { method: 'runs.stop', params: { id: 'run-1' } };
    window.webContents.mainFrame.url = 'https://evil.example/';
    const foreign = await handleLabCall(
      lab,
      win(),
      eventFrom(window.webContents.mainFrame),
      payload,
    );
    expect(foreign).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('evil.example') as unknown },
    });
    window.webContents.mainFrame.url = 'app://lab/index.html';
    const subframe = await handleLabCall(
      lab,
      win(),
      eventFrom(new FakeFrame('app://lab/index.html', window.webContents.mainFrame, 1, 2)),
      payload,
    );
    expect(subframe).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('subframe') as unknown },
    });
    const other = new FakeBrowserWindow({});
    const otherWindow = await handleLabCall(
      lab,
      win(),
      eventFrom(other.webContents.mainFrame, other.webContents),
      payload,
    );
    expect(otherWindow).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('main window') as unknown },
    });
    const gone = await handleLabCall(lab, win(), eventFrom(null), payload);
    expect(gone).toMatchObject({ ok: false });
    expect(lab.calls).toEqual([]);
  });
});

describe('lab:call payload', () => {
  const call = (payload: unknown) =>
    handleLabCall(lab, win(), eventFrom(window.webContents.mainFrame), payload);

  it('refuses a payload that is not { method, params }, naming the field', async () => {
    const reply = await call({ method: 42, params: {} });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid-params');
    expect(reply.error.message).toMatch(/method/);
    expect(reply.error.issues?.map((i) => i.path)).toEqual(['method']);
    expect((await call('runs.stop')).ok).toBe(false);
    expect(await call({ method: 'runs.stop', params: { id: 'r' }, extra: true })).toMatchObject({
      ok: false,
      error: { issues: [{ path: '(root)' }] },
    });
    expect(lab.calls).toEqual([]);
  });

  it('refuses invalid params with the contract error naming the field', async () => {
    const reply = await call({ method: 'runs.stop', params: { id: '' } });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid-params', issues: [{ path: 'id' }] },
    });
    expect(await call({ method: 'fs.readFile', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(lab.calls).toEqual([]);
  });
});

describe('lab:menu-state', () => {
  it('reads the handled kinds from the main frame, and refuses (logged) anything else', () => {
    const main = eventFrom(window.webContents.mainFrame);
    expect(readMenuState(win(), main, { handled: ['export-report', 'new-experiment'] })).toEqual([
      'export-report',
      'new-experiment',
    ]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(readMenuState(win(), main, { handled: ['print'] })).toBeNull();
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/lab:menu-state.*handled/);
      expect(readMenuState(win(), main, { handled: Array(4).fill('export-report') })).toBeNull();
      expect(readMenuState(win(), main, 'export-report')).toBeNull();
      const other = new FakeBrowserWindow({});
      expect(
        readMenuState(win(), eventFrom(other.webContents.mainFrame, other.webContents), {
          handled: [],
        }),
      ).toBeNull();
      expect(String(warn.mock.calls[3]?.[0])).toMatch(/main window/);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('attachIpc', () => {
  it('registers one handler and forwards pushes to the window', async () => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => unknown>();
    const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
    const ipcMain = {
      handle: (
        channel: string,
        handler: (event: IpcMainInvokeEvent, payload: unknown) => unknown,
      ) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
        listeners.set(channel, listener),
      removeListener: (channel: string) => listeners.delete(channel),
    };
    const menuStates: unknown[] = [];
    const adapter = attachIpc(ipcMain as unknown as IpcMain, lab, win, (handled) =>
      menuStates.push(handled),
    );
    expect([...handlers.keys()]).toEqual(['lab:call']);
    expect([...listeners.keys()]).toEqual(['lab:menu-state']);
    const reply = await handlers.get('lab:call')?.(eventFrom(window.webContents.mainFrame), {
      method: 'runs.stop',
      params: { id: 'x' },
    });
    expect(reply).toEqual({ ok: true, result: { ok: true } });
    lab.emit({ name: 'experiment.updated', payload: { experimentId: 'e', deleted: false } });
    expect(window.webContents.send).toHaveBeenCalledWith('lab:push', 'experiment.updated', {
      experimentId: 'e',
      deleted: false,
    });
    adapter.sendMenuAction({ kind: 'new-experiment' });
    expect(window.webContents.send).toHaveBeenCalledWith('lab:menu', { kind: 'new-experiment' });
    listeners.get('lab:menu-state')?.(eventFrom(window.webContents.mainFrame), {
      handled: ['export-report'],
    });
    expect(menuStates).toEqual([['export-report']]);
    adapter.dispose();
    expect(handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
    window.webContents.send.mockClear();
    lab.emit({ name: 'experiment.updated', payload: { experimentId: 'e', deleted: true } });
    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});
