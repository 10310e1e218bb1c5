import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LabInfo } from '../../../main/api/contract.js';
import { fakeElectron, FakeBrowserWindow, FakeFrame, FakeSession } from './fake-electron.js';
import type { BuiltMenu } from '../../helpers/built-menu.js';

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

  it('greys out Export Report… until the page reports a view that exports, and again after', () => {
    const menu = fakeElectron.Menu.setApplicationMenu.mock.calls[0]?.[0] as BuiltMenu;
    const exportItem = () => menu.getMenuItemById('export-report');
    expect(exportItem()?.label).toBe('Export Report…');
    // The app boots to the Library, which has nothing to export.
    expect(exportItem()?.enabled).toBe(false);
    const [, report] =
      fakeElectron.ipcMain.on.mock.calls.find(([channel]) => channel === 'lab:menu-state') ?? [];
    const fromPage = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    report?.(fromPage, { handled: ['import-experiment', 'export-report'] });
    expect(exportItem()?.enabled).toBe(true);
    report?.(fromPage, { handled: ['import-experiment'] });
    expect(exportItem()?.enabled).toBe(false);
  });

  it('refuses a malformed menu state, or one from another frame, and keeps the menu as it was', () => {
    const menu = fakeElectron.Menu.setApplicationMenu.mock.calls[0]?.[0] as BuiltMenu;
    const exportItem = () => menu.getMenuItemById('export-report');
    const [, report] =
      fakeElectron.ipcMain.on.mock.calls.find(([channel]) => channel === 'lab:menu-state') ?? [];
    const fromPage = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    report?.(fromPage, { handled: ['export-report'] });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (const malformed of [
        { handled: 'export-report' },
        { handled: ['export-everything'] },
        { handled: [], extra: true },
        ['export-report'],
        null,
      ]) {
        expect(() => report?.(fromPage, malformed)).not.toThrow();
      }
      const subframe = new FakeFrame('app://lab/index.html', window.webContents.mainFrame, 1, 2);
      report?.({ sender: window.webContents, senderFrame: subframe }, { handled: [] });
      expect(exportItem()?.enabled).toBe(true);
      expect(warn).toHaveBeenCalledTimes(6);
      expect(String(warn.mock.calls[1]?.[0])).toMatch(/lab:menu-state.*handled/);
      expect(String(warn.mock.calls[5]?.[0])).toMatch(/subframe/);
    } finally {
      warn.mockRestore();
    }
    report?.(fromPage, { handled: [] });
    expect(exportItem()?.enabled).toBe(false);
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
    expect(fakeElectron.ipcMain.removeListener).toHaveBeenCalledWith(
      'lab:menu-state',
      expect.any(Function),
    );
  });
});
