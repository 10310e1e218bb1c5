/**
 * `BrowserWindow`: a page in its session's browser context. Close and destroy follow Electron's
 * order (`close` can be prevented, then `closed`; the last window closed outside a quit emits
 * `window-all-closed` on the app). Size, position and visibility are recorded, not rendered.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { session as sessions, type StandInSession } from './session.js';
import { StandInWebContents } from './web-contents.js';

interface WindowOptions {
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  show?: boolean;
  webPreferences?: { preload?: string; session?: StandInSession; partition?: string };
}

/** Window lifecycle hooks for the app stand-in. */
export const windowEvents = new EventEmitter();

export class StandInBrowserWindow extends EventEmitter {
  static readonly all = new Set<StandInBrowserWindow>();
  readonly webContents: StandInWebContents;
  private destroyed = false;
  private visible: boolean;
  private maximized = false;
  private bounds: { x: number; y: number; width: number; height: number };

  static getAllWindows(): StandInBrowserWindow[] {
    return [...StandInBrowserWindow.all];
  }
  static getFocusedWindow(): StandInBrowserWindow | null {
    return [...StandInBrowserWindow.all].find((w) => w.visible) ?? null;
  }

  constructor(readonly options: WindowOptions = {}) {
    super();
    const prefs = options.webPreferences ?? {};
    const session =
      prefs.session ??
      (prefs.partition ? sessions.fromPartition(prefs.partition) : sessions.defaultSession);
    this.webContents = new StandInWebContents(session, prefs.preload);
    this.visible = options.show !== false;
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    StandInBrowserWindow.all.add(this);
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  loadFile(file: string): Promise<void> {
    return this.webContents.loadURL(pathToFileURL(file).href);
  }

  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
  getNormalBounds() {
    return { ...this.bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** As the user closing it: `close` (preventable), then destroyed. */
  close(): void {
    if (this.destroyed) return;
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    StandInBrowserWindow.all.delete(this);
    void this.webContents.destroy();
    this.emit('closed');
    if (StandInBrowserWindow.all.size === 0) windowEvents.emit('all-closed');
  }
}
