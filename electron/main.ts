/**
 * The Electron app's entry: one instance, one main window, the lab served over IPC, trainers in
 * utility processes. Lab home: `BNLAB_HOME`, else `<userData>/lab`.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, safeStorage, session } from 'electron';
import { createLab } from '../main/lab/service.js';
import type { Lab } from '../main/lab/types.js';
import { installAppProtocol, registerAppScheme } from './app-protocol.js';
import { chooseExperimentFile, createDialogHooks } from './dialogs.js';
import { gpuRelayLauncher } from './gpu-engine-relay.js';
import { probeTrainerWindowRows } from './gpu-probe.js';
import { enableGpuSwitches, openGpuTrainerWindow } from './gpu-trainer-window.js';
import { attachIpc, type IpcAdapter } from './ipc.js';
import type { MenuCommand } from './lab-bridge.js';
import { applyMenuState, menuTemplate } from './menu.js';
import { guardQuit } from './quit.js';
import { safeStorageSecrets } from './secret-box.js';
import { denyPermissions, hardenSession, hardenWebContents } from './security.js';
import { utilityLauncher } from './trainer-launcher.js';
import { createMainWindow } from './window.js';

// Built layout: out/electron/{main.js, preload.cjs, trainer.js} and out/renderer/.
const PRELOAD = path.join(import.meta.dirname, 'preload.cjs');
const RENDERER_DIR = path.join(import.meta.dirname, '..', 'renderer');

let mainWindow: BrowserWindow | null = null;
let lab: Lab | null = null;
let ipc: IpcAdapter | null = null;

// Asks before quitting while runs train; running trainers become `interrupted` (resumable, the
// reason recorded) before the process goes.
const quit = guardQuit({
  app,
  getWindow: () => mainWindow,
  getLab: () => lab,
  beforeClose: () => ipc?.dispose(),
});

registerAppScheme();
// webgpu/webgl train in a hidden window; Linux needs a switch for WebGPU, set before ready.
enableGpuSwitches(app.commandLine);

// Checklist: every web contents, including ones we did not create, gets the same policy, and
// every session (the PDF printing one, any Electron makes) denies permissions.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
app.on('session-created', (created) => denyPermissions(created));

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
    // The status bar's webgpu/webgl rows: what this app's own trainer window finds.
    probeGpu: () => probeTrainerWindowRows(() => openGpuTrainerWindow()),
    hooks: createDialogHooks(() => mainWindow),
    // Where new runs train follows the Settings view; the Redis password goes to the OS key store.
    settings: { readOnlyReason: null, secrets: safeStorageSecrets(safeStorage) },
  });
  const onMenu = (command: MenuCommand) =>
    void runMenuCommand(command).catch((error: unknown) =>
      console.error(`menu command ${command} failed: ${String(error)}`),
    );
  const menu = Menu.buildFromTemplate(menuTemplate(onMenu));
  Menu.setApplicationMenu(menu);
  // The page reports which menu actions its views handle; the others' items are greyed out.
  ipc = attachIpc(
    ipcMain,
    lab,
    () => mainWindow,
    (handled) => applyMenuState(menu, handled),
  );
  mainWindow = createMainWindow(PRELOAD, path.join(app.getPath('userData'), 'window-state.json'));
  quit.watchWindow(mainWindow);
  mainWindow.on('closed', () => (mainWindow = null));
}

/** A menu command becomes one action for the renderer; import first asks for the file. */
async function runMenuCommand(command: MenuCommand): Promise<void> {
  if (command !== 'import-experiment') return ipc?.sendMenuAction({ kind: command });
  const file = await chooseExperimentFile(mainWindow);
  if (file) ipc?.sendMenuAction({ kind: 'import-experiment', file });
}

function fail(error: unknown): void {
  console.error(
    `BN·Dropout Lab could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  app.exit(1);
}

// One window is the whole app: closing it quits, on macOS too.
app.on('window-all-closed', () => app.quit());
