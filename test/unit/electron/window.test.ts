import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Session, WebContents } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
} from '../../../electron/security.js';
import { createMainWindow, mainWindowOptions } from '../../../electron/window.js';
import { fakeElectron, FakeBrowserWindow, FakeWebContents } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bnlab-window-'));
  FakeBrowserWindow.created = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  vi.clearAllMocks();
});

describe('main window', () => {
  it('is sandboxed, context-isolated, without Node, with web security and our preload', () => {
    const options = mainWindowOptions('/app/out/electron/preload.cjs', {
      width: 900,
      height: 600,
      maximized: false,
    });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/electron/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('loads the UI from app://, not file://, and hardens its web contents', () => {
    createMainWindow('/p/preload.cjs', path.join(dir, 'window-state.json'));
    const [window] = FakeBrowserWindow.created;
    expect(window?.loadedUrl).toBe('app://lab/index.html');
    expect(window?.webContents.windowOpenHandler).not.toBeNull();
    expect(window?.webContents.listenerCount('will-navigate')).toBe(1);
  });

  it('keeps its size and position across restarts', async () => {
    const stateFile = path.join(dir, 'window-state.json');
    createMainWindow('/p/preload.cjs', stateFile);
    FakeBrowserWindow.created[0]?.emit('close');
    await vi.waitFor(async () =>
      expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ width: 1000 }),
    );
    createMainWindow('/p/preload.cjs', stateFile);
    expect(FakeBrowserWindow.created[1]?.options).toMatchObject({
      width: 1000,
      height: 700,
      x: 10,
      y: 20,
    });
  });
});

describe('navigation and new windows', () => {
  it('denies every navigation and redirect away from the page', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents);
    expect(contents.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-navigate', 'app://lab/other.html')).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window; an https link goes to the system browser, other schemes nowhere', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents);
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    expect(open('https://arxiv.org/abs/1502.03167')).toEqual({ action: 'deny' });
    expect(fakeElectron.shell.openExternal).toHaveBeenCalledWith(
      'https://arxiv.org/abs/1502.03167',
    );
    fakeElectron.shell.openExternal.mockClear();
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'app://lab/index.html',
      'javascript:alert(1)',
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(fakeElectron.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('content security policy and permissions', () => {
  it('allows only the app itself: no inline code, no network, no plugins, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [
        d.split(' ')[0],
        d.split(' ').slice(1).join(' '),
      ]),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('sets the CSP header on responses and denies every permission', () => {
    let headersHook: ((details: object, cb: (r: object) => void) => void) | undefined;
    let requestHook:
      ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
    let checkHook: (() => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (hook: typeof requestHook) => (requestHook = hook),
      setPermissionCheckHandler: (hook: typeof checkHook) => (checkHook = hook),
      webRequest: { onHeadersReceived: (hook: typeof headersHook) => (headersHook = hook) },
    };
    hardenSession(session as unknown as Session);
    const granted = vi.fn();
    requestHook?.({}, 'media', granted);
    requestHook?.({}, 'notifications', granted);
    expect(granted.mock.calls).toEqual([[false], [false]]);
    expect(checkHook?.()).toBe(false);
    const reply = vi.fn();
    headersHook?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, reply);
    expect(reply).toHaveBeenCalledWith({
      responseHeaders: {
        'Content-Type': ['text/html'],
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
});
