/**
 * `app`: ready once Chromium runs, paths under the test's folder, and Electron's quit sequence —
 * `before-quit` (preventable), every window's `close` (preventable), `will-quit` (preventable),
 * `quit`, then exit. On exit, utility processes still running are killed, as Chromium kills its
 * children; the test sees which (a lab that closed properly leaves none).
 */
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { report } from './control.js';
import { StandInBrowserWindow, windowEvents } from './browser-window.js';
import { useBrowser } from './session.js';
import { children } from './utility-process.js';

const CHROMIUM = process.env.BNLAB_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = process.env.BNLAB_STANDIN_DIR ?? path.join(process.cwd(), '.bnlab-test', 'stand-in');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function preventable() {
  const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
}

class StandInApp extends EventEmitter {
  private browser: Browser | null = null;
  private readonly ready: Promise<void>;
  private quitting = false;
  private ended = false;
  isPackaged = false;
  /**
   * Chromium switches the app sets before ready (WebGPU for the GPU trainer window): recorded
   * only — the stand-in's Chromium is launched with its own flags.
   */
  readonly commandLine = {
    switches: new Map<string, string>(),
    appendSwitch(name: string, value = ''): void {
      this.switches.set(name, value);
    },
    hasSwitch(name: string): boolean {
      return this.switches.has(name);
    },
    getSwitchValue(name: string): string {
      return this.switches.get(name) ?? '';
    },
  };

  constructor() {
    super();
    this.ready = this.launch();
    windowEvents.on('all-closed', () => {
      if (!this.quitting) this.emit('window-all-closed', preventable());
    });
  }

  private async launch(): Promise<void> {
    const port = await freePort();
    this.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', `--remote-debugging-port=${port}`],
    });
    useBrowser(this.browser);
    report({ kind: 'browser', cdpUrl: `http://127.0.0.1:${port}` });
    this.emit('ready', preventable(), {});
  }

  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return this.browser !== null;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  getName(): string {
    return 'BN·Dropout Lab';
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  getPath(name: string): string {
    return path.join(ROOT, name);
  }

  /** Electron's quit sequence; any step's listener may cancel it. */
  quit(): void {
    if (this.quitting || this.ended) return;
    const beforeQuit = preventable();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const window of StandInBrowserWindow.getAllWindows()) {
      window.close();
      if (!window.isDestroyed()) {
        this.quitting = false;
        return;
      }
    }
    const willQuit = preventable();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.emit('quit', preventable(), 0);
    void this.end(0);
  }

  exit(code = 0): void {
    void this.end(code);
  }

  private async end(code: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const child of children) {
      report({ kind: 'console-error', url: '', text: `exit reaped utility process ${child.pid}` });
      child.reap();
    }
    for (const window of StandInBrowserWindow.getAllWindows()) window.destroy();
    await this.browser?.close().catch(() => undefined);
    process.exit(code);
  }
}

export const app = new StandInApp();
