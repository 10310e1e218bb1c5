/**
 * A hand-made stand-in for the parts of `electron` the shell uses, for `vi.mock('electron')`:
 * windows and web contents are event emitters that record what the shell asked of them.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { BuiltMenu, type MenuTemplateItem } from '../../helpers/built-menu.js';

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
    public processId = 1,
    public routingId = 1,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: WindowOpenHandler | null = null;
  mainFrame = new FakeFrame('app://lab/index.html');
  send = vi.fn();
  printToPDF = vi.fn(() => Promise.resolve(Buffer.from('%PDF')));
  /** The page's answers to `executeJavaScript`, by expression (the report's ready flag etc.). */
  pageState: Record<string, unknown> = {};
  executeJavaScript = vi.fn((code: string) => Promise.resolve(this.pageState[code] ?? null));
  isDestroyed = () => false;
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a cancellable event the way Electron does; true when a listener prevented it. */
  fire(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  maximized = false;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  loadFile(file: string): Promise<void> {
    this.loadedUrl = `file://${file}`;
    return Promise.resolve();
  }
  isDestroyed = () => false;
  destroy = vi.fn();
  maximize(): void {
    this.maximized = true;
  }
  isMaximized = () => this.maximized;
  isMinimized = () => false;
  restore = vi.fn();
  focus = vi.fn();
  getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
  show = vi.fn();
}

type BeforeRequest = (
  details: { url: string },
  callback: (response: { cancel: boolean }) => void,
) => void;

/** A session that records its request filter, header hook and protocol handlers. */
export class FakeSession {
  beforeRequest: BeforeRequest | null = null;
  headersReceived: ((details: object, callback: (response: object) => void) => void) | null = null;
  webRequest = {
    onBeforeRequest: (filter: BeforeRequest) => (this.beforeRequest = filter),
    onHeadersReceived: (hook: NonNullable<FakeSession['headersReceived']>) =>
      (this.headersReceived = hook),
  };
  protocol = {
    handle: vi.fn<(scheme: string, handler: (request: Request) => Promise<Response>) => void>(),
  };
  setPermissionRequestHandler = vi.fn();
  setPermissionCheckHandler = vi.fn();
}

/** `app`: an event emitter with the calls the entry makes, recorded. */
export class FakeApp extends EventEmitter {
  requestSingleInstanceLock = vi.fn(() => true);
  whenReady = vi.fn(() => Promise.resolve());
  getPath = (name: string) => `/fake/${name}`;
  quit = vi.fn();
  exit = vi.fn();
  commandLine = { appendSwitch: vi.fn() };
}

const printSession = new FakeSession();

/** The module object `vi.mock('electron', …)` returns; tests inspect its spies directly. */
export const fakeElectron = {
  BrowserWindow: FakeBrowserWindow,
  shell: { openExternal: vi.fn((_url: string) => Promise.resolve()) },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  protocol: { registerSchemesAsPrivileged: vi.fn<(schemes: unknown[]) => void>(), handle: vi.fn() },
  utilityProcess: {
    fork: vi.fn<
      (
        modulePath: string,
        args: string[],
        options: { env?: Record<string, string | undefined> },
      ) => unknown
    >(),
  },
  contextBridge: { exposeInMainWorld: vi.fn<(key: string, api: unknown) => void>() },
  ipcRenderer: {
    invoke: vi.fn<(channel: string, payload: unknown) => Promise<unknown>>(),
    send: vi.fn<(channel: string, ...args: unknown[]) => void>(),
    on: vi.fn<(channel: string, listener: (...args: unknown[]) => void) => void>(),
    removeListener: vi.fn(),
  },
  app: new FakeApp(),
  ipcMain: {
    handle:
      vi.fn<(channel: string, handler: (event: unknown, payload: unknown) => unknown) => void>(),
    removeHandler: vi.fn(),
    on: vi.fn<(channel: string, listener: (event: unknown, payload: unknown) => void) => void>(),
    removeListener: vi.fn(),
  },
  Menu: {
    buildFromTemplate: vi.fn((template: MenuTemplateItem[]) => new BuiltMenu(template)),
    setApplicationMenu: vi.fn(),
  },
  dialog: {
    showOpenDialog:
      vi.fn<(...args: unknown[]) => Promise<{ canceled: boolean; filePaths: string[] }>>(),
    showSaveDialog:
      vi.fn<(...args: unknown[]) => Promise<{ canceled: boolean; filePath?: string }>>(),
  },
  /** Reversible "encryption" (base64 of the reversed text) so a test can tell it was used. */
  safeStorage: {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn((): 'basic_text' | 'gnome_libsecret' => 'gnome_libsecret'),
    encryptString: vi.fn((plain: string) => Buffer.from([...plain].reverse().join(''))),
    decryptString: vi.fn((encrypted: Buffer) => [...encrypted.toString()].reverse().join('')),
  },
  session: {
    fromPartition: vi.fn((_partition: string) => printSession),
    defaultSession: new FakeSession(),
  },
};
