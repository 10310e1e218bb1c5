/**
 * The main window: its security settings (checklist #2–#4: sandbox, context isolation, no Node
 * integration), its saved size and position, and loading the UI from `app://`.
 */
import { BrowserWindow, screen, type BrowserWindowConstructorOptions } from 'electron';
import { APP_START_URL, hardenWebContents } from './security.js';
import {
  loadWindowState,
  placeOnScreen,
  saveWindowState,
  type WindowState,
} from './window-state.js';

/** The main window's constructor options for a preload script and a saved state. */
export function mainWindowOptions(
  preloadPath: string,
  state: WindowState,
): BrowserWindowConstructorOptions {
  return {
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'BN·Dropout Lab',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Creates the main window with its saved state, hardens it and loads the UI. */
export function createMainWindow(preloadPath: string, stateFile: string): BrowserWindow {
  const saved = loadWindowState(stateFile);
  const state = placeOnScreen(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow(mainWindowOptions(preloadPath, state));
  hardenWebContents(window.webContents);
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    const next: WindowState = {
      width: Math.max(400, Math.round(bounds.width)),
      height: Math.max(300, Math.round(bounds.height)),
      x: Math.round(bounds.x),
      y: Math.round(bounds.y),
      maximized: window.isMaximized(),
    };
    saveWindowState(stateFile, next).catch((error: unknown) =>
      console.warn(`could not save the window state: ${String(error)}`),
    );
  });
  void window.loadURL(APP_START_URL);
  return window;
}
