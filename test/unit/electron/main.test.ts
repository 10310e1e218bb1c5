import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LabInfo } from '../../../main/api/contract.js';
import { fakeElectron, FakeBrowserWindow, FakeSession } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

let home: string;
let window: FakeBrowserWindow;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bnlab-electron-main-'));
  process.env.BNLAB_HOME = home;
  FakeBrowserWindow.created = [];
  // The entry starts the app as a side effect of being loaded, as Electron runs it.
  await import('../../../electron/main.js');
  await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1), { timeout: 30_000 });
  window = FakeBrowserWindow.created[0] as FakeBrowserWindow;
});

afterAll(async () => {
  delete process.env.BNLAB_HOME;
  await rm(home, { recursive: true, force: true });
});

describe('Electron entry (electron faked, real lab)', () => {
  it('registers app:// before ready and holds the single-instance lock', () => {
    const registered =
      fakeElectron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0] ?? Infinity;
    const ready = fakeElectron.app.whenReady.mock.invocationCallOrder[0] ?? -Infinity;
    expect(registered).toBeLessThan(ready);
    expect(fakeElectron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fakeElectron.session.defaultSession.protocol.handle).toHaveBeenCalledWith(
      'app',
      expect.any(Function),
    );
  });

  it('opens one hardened window on app:// with the built preload', () => {
    expect(window.loadedUrl).toBe('app://lab/index.html');
    expect(window.options).toMatchObject({
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(
      /preload\.cjs$/,
    );
    expect(fakeElectron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('denies permissions in every session Electron creates, not only the default one', () => {
    const created = new FakeSession();
    fakeElectron.app.emit('session-created', created);
    const check = created.setPermissionCheckHandler.mock.calls[0]?.[0] as
      (() => boolean) | undefined;
    expect(check?.()).toBe(false);
    expect(created.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fakeElectron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
  });

  it('serves the lab over lab:call in electron mode, with BNLAB_HOME as its home', async () => {
    const [channel, handler] = fakeElectron.ipcMain.handle.mock.calls[0] ?? [];
    expect(channel).toBe('lab:call');
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const reply = (await handler?.(event, { method: 'lab.info', params: {} })) as {
      ok: boolean;
      result: unknown;
    };
    expect(reply.ok).toBe(true);
    expect(LabInfo.parse(reply.result)).toMatchObject({ mode: 'electron', home });
  });

  it('focuses the existing window when a second instance starts', () => {
    fakeElectron.app.emit('second-instance');
    expect(window.focus).toHaveBeenCalled();
  });

  it('closes the lab before quitting', async () => {
    const preventDefault = vi.fn();
    fakeElectron.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fakeElectron.app.quit).toHaveBeenCalled());
    expect(fakeElectron.ipcMain.removeHandler).toHaveBeenCalledWith('lab:call');
  });
});
