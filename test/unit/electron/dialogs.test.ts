import { existsSync } from 'node:fs';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDialogHooks, printToPdf } from '../../../electron/dialogs.js';
import { REPORT_READY_EXPRESSION } from '../../../main/reports/chromium.js';
import { fakeElectron, FakeBrowserWindow, type FakeSession } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

beforeEach(() => {
  FakeBrowserWindow.created = [];
  vi.clearAllMocks();
});

describe('native dialogs', () => {
  it('returns the chosen report path, or null when the user cancels', async () => {
    const window = new FakeBrowserWindow({});
    const hooks = createDialogHooks(() => window as unknown as BrowserWindow);
    fakeElectron.dialog.showSaveDialog.mockResolvedValueOnce({
      canceled: false,
      filePath: '/home/me/report.pdf',
    });
    expect(await hooks.chooseReportPath?.('bn-simple.pdf', 'pdf')).toBe('/home/me/report.pdf');
    const [parent, options] = fakeElectron.dialog.showSaveDialog.mock.lastCall ?? [];
    expect(parent).toBe(window);
    expect(options).toMatchObject({
      defaultPath: '/fake/documents/bn-simple.pdf',
      filters: [{ extensions: ['pdf'] }],
    });
    fakeElectron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await hooks.chooseReportPath?.('bn-simple.pdf', 'pdf')).toBeNull();
  });

  it('returns the chosen CIFAR-10 source, or null when cancelled', async () => {
    const hooks = createDialogHooks(() => null);
    fakeElectron.dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: ['/data/cifar.tar.gz'],
    });
    expect(await hooks.chooseDatasetSource?.()).toBe('/data/cifar.tar.gz');
    fakeElectron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await hooks.chooseDatasetSource?.()).toBeNull();
  });
});

describe('printToPdf', () => {
  it('prints once the report has drawn its charts, offline, in a hidden sandboxed window', async () => {
    const printing = printToPdf('<!doctype html><p>report</p>');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const window = FakeBrowserWindow.created[0] as FakeBrowserWindow;
    expect(window.options).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    await vi.waitFor(() => expect(window.loadedUrl).toMatch(/^file:\/\//));
    // Not ready yet: nothing is printed until the page says its charts are drawn.
    await vi.waitFor(() => expect(window.webContents.executeJavaScript).toHaveBeenCalled());
    expect(window.webContents.printToPDF).not.toHaveBeenCalled();
    const session = fakeElectron.session.fromPartition.mock.results[0]?.value as FakeSession;
    const cancelled = (url: string) => {
      let cancel = false;
      session.beforeRequest?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    const file = (window.loadedUrl ?? '').slice('file://'.length);
    expect(cancelled(`file://${file}`)).toBe(false);
    expect(cancelled('https://cdn.example/chart.js')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    window.webContents.pageState[REPORT_READY_EXPRESSION] = true;
    expect((await printing).toString()).toBe('%PDF');
    expect(window.destroy).toHaveBeenCalled();
    expect(existsSync(file)).toBe(false);
  });

  it('fails with the page error when the report could not draw', async () => {
    const printing = printToPdf('<!doctype html>');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const window = FakeBrowserWindow.created[0] as FakeBrowserWindow;
    window.webContents.pageState[REPORT_READY_EXPRESSION] = true;
    window.webContents.pageState['window.__reportError ?? null'] = 'Chart is not defined';
    await expect(printing).rejects.toThrow('Chart is not defined');
    expect(window.destroy).toHaveBeenCalled();
  });
});
