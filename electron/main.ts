/**
 * The Electron app's entry: one instance, one main window, the lab served over IPC, trainers in
 * utility processes. Lab home: `BNLAB_HOME`, else `<userData>/lab`.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { createLab } from '../main/lab/service.js';
import type { Lab } from '../main/lab/types.js';
import { installAppProtocol, registerAppScheme } from './app-protocol.js';
import { createDialogHooks } from './dialogs.js';
import { gpuRelayLauncher } from './gpu-engine-relay.js';
import { enableGpuSwitches, openGpuTrainerWindow } from './gpu-trainer-window.js';
import { attachIpc, type IpcAdapter } from './ipc.js';
import { menuTemplate } from './menu.js';
import { hardenSession, hardenWebContents } from './security.js';
import { utilityLauncher } from './trainer-launcher.js';
import { createMainWindow } from './window.js';

// Built layout: out/electron/{main.js, preload.cjs, trainer.js} and out/renderer/.
const PRELOAD = path.join(import.meta.dirname, 'preload.cjs');
const RENDERER_DIR = path.join(import.meta.dirname, '..', 'renderer');

let mainWindow: BrowserWindow | null = null;
let lab: Lab | null = null;
let ipc: IpcAdapter | null = null;

registerAppScheme();
// webgpu/webgl train in a hidden window; Linux needs a switch for WebGPU, set before ready.
enableGpuSwitches(app.commandLine);

// Checklist: every web contents, including ones we did not create, gets the same policy.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, fail);
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  installAppProtocol(session.defaultSession, RENDERER_DIR);
  const home = process.env.BNLAB_HOME ?? path.join(app.getPath('userData'), 'lab');
  lab = await createLab({
    home,
    mode: 'electron',
    launcher: gpuRelayLauncher(utilityLauncher(), () => openGpuTrainerWindow()),
    hooks: createDialogHooks(() => mainWindow),
  });
  ipc = attachIpc(ipcMain, lab, () => mainWindow);
  const send = (action: Parameters<IpcAdapter['sendMenuAction']>[0]) => ipc?.sendMenuAction(action);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send)));
  mainWindow = createMainWindow(PRELOAD, path.join(app.getPath('userData'), 'window-state.json'));
  mainWindow.on('closed', () => (mainWindow = null));
}

function fail(error: unknown): void {
  console.error(
    `BN·Dropout Lab could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  app.exit(1);
}

// One window is the whole app: closing it quits, on macOS too.
app.on('window-all-closed', () => app.quit());

// Running trainers become `interrupted` (resumable) before the process goes.
let closed = false;
app.on('before-quit', (event) => {
  if (closed || !lab) return;
  event.preventDefault();
  closed = true;
  ipc?.dispose();
  lab
    .close()
    .catch((error: unknown) => console.error(`error while closing the lab: ${String(error)}`))
    .finally(() => app.quit());
});
