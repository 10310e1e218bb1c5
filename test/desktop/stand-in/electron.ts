/**
 * The stand-in `electron` module the built app imports when it runs under plain Node in the
 * desktop tests (register.ts resolves `electron` here). See FIDELITY.md for what it emulates
 * and what only a real Electron binary shows.
 */
import { app } from './app.js';
import { StandInBrowserWindow } from './browser-window.js';
import { dialog } from './dialog.js';
import { ipcMain } from './ipc-main.js';
import { Menu, onQuitRole } from './menu.js';
import { session } from './session.js';
import { utilityProcess } from './utility-process.js';

onQuitRole(() => app.quit());

const privileged: unknown[] = [];

export const protocol = {
  /** Recorded only: the stand-in's origins are secure and standard anyway (urls.ts). */
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (app.isReady()) throw new Error('registerSchemesAsPrivileged must run before app ready');
    privileged.push(...schemes);
  },
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
    session.defaultSession.protocol.handle(scheme, handler),
};

export const screen = {
  getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};

export const shell = {
  /** Never opens anything; recorded for the test through the console. */
  openExternal: (url: string) => {
    console.warn(`stand-in: shell.openExternal(${url}) not opened`);
    return Promise.resolve();
  },
};

/**
 * The GPU trainer window's port pair (webgpu/webgl in the desktop app) is not emulated: the
 * harness trains on wasm, and a run that asks for webgpu/webgl fails with this message.
 */
export class MessageChannelMain {
  constructor() {
    throw new Error('stand-in: MessageChannelMain (the GPU trainer window) is not emulated');
  }
}

/** No OS key store here: the app keeps the Redis password in its settings file (mode 0600). */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (): Buffer => {
    throw new Error('stand-in: safeStorage is not available');
  },
  decryptString: (): string => {
    throw new Error('stand-in: safeStorage is not available');
  },
};

export const BrowserWindow = StandInBrowserWindow;
export { app, dialog, ipcMain, Menu, session, utilityProcess };
export default {
  app,
  BrowserWindow,
  MessageChannelMain,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
};
