import type { WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { printToPdf } from '../../../electron/dialogs.js';
import { REPORT_READY_EXPRESSION } from '../../../main/reports/chromium.js';
import { hardenWebContents, isAllowedExternalUrl } from '../../../electron/security.js';
import {
  fakeElectron,
  FakeBrowserWindow,
  FakeWebContents,
  type FakeSession,
} from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

beforeEach(() => {
  FakeBrowserWindow.created = [];
  vi.clearAllMocks();
});

/** Clicks a link that would open a new window; returns what the window-open handler decided. */
function click(url: string): unknown {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as WebContents);
  return contents.windowOpenHandler?.({ url });
}

describe('external links (allow-list)', () => {
  it('opens a cited paper or dataset page in the system browser', () => {
    for (const url of [
      'https://arxiv.org/abs/1502.03167',
      'https://proceedings.neurips.cc/paper/2018/hash/905056c1ac1dad141560467e0a99e1cf-Abstract.html',
      'https://www.cs.toronto.edu/~kriz/cifar.html',
    ]) {
      expect(click(url)).toEqual({ action: 'deny' });
      expect(fakeElectron.shell.openExternal).toHaveBeenLastCalledWith(url);
    }
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledTimes(3);
  });

  it('refuses an https URL outside the allow-list, and look-alike hosts', () => {
    for (const url of [
      'https://evil.example/',
      'https://arxiv.org.evil.example/abs/1',
      'https://evilarxiv.org/',
      'https://user:pw@arxiv.org/',
      'https://arxiv.org:8443/',
      'http://arxiv.org/abs/1502.03167',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url)).toBe(false);
      expect(click(url)).toEqual({ action: 'deny' });
    }
    expect(fakeElectron.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('permissions on the PDF printing session', () => {
  it('denies permission requests and answers every permission check with no', async () => {
    const printing = printToPdf('<!doctype html><p>report</p>');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const window = FakeBrowserWindow.created[0] as FakeBrowserWindow;
    window.webContents.pageState[REPORT_READY_EXPRESSION] = true;
    await printing;
    const session = fakeElectron.session.fromPartition.mock.results[0]?.value as FakeSession;
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as
      ((...args: unknown[]) => boolean) | undefined;
    expect(check?.(null, 'media', 'file://', {})).toBe(false);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | undefined;
    const granted = vi.fn();
    request?.({}, 'notifications', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });
});
