/**
 * Starts the built desktop app (out/electron/main.js) under plain Node with the stand-in
 * `electron` (stand-in/), and gives the test its main window as a playwright page (over CDP),
 * its application menu, and its native dialogs (scripted answers, every one recorded).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ControlCommand, ControlReport, DialogKind } from './stand-in/protocol.js';
import { tsxImport } from './stand-in/tsx.js';

export const MAIN_ENTRY = path.resolve('out/electron/main.js');
const REGISTER = new URL('./stand-in/register.ts', import.meta.url).href;
const APP_PAGE_PREFIX = 'http://lab.app.localhost/';

export interface DialogRecord {
  dialog: DialogKind;
  options: Record<string, unknown>;
  /** The scripted answer it got; null when none was scripted (answered as a cancel). */
  answer: unknown;
}

export interface DesktopApp {
  /** The main window. */
  readonly page: Page;
  /** Every native dialog shown so far, in order. */
  readonly dialogs: DialogRecord[];
  /** CSP violations in any window (`securitypolicyviolation` events and console reports). */
  readonly cspViolations: string[];
  /** Console errors and page errors in any window, and the app's stderr. */
  readonly errors: string[];
  /** Scripts the answer to the next dialog of a kind: file paths, a save path, a button index. */
  answerNext(dialog: 'open', paths: string[] | null): void;
  answerNext(dialog: 'save', file: string | null): void;
  answerNext(dialog: 'message', button: number): void;
  /**
   * Clicks an application-menu item, e.g. `clickMenu('File', 'Export Report…')`; a disabled
   * item's click does nothing, as in Electron.
   */
  clickMenu(...labels: string[]): Promise<void>;
  /** Presses a menu item's accelerator, e.g. `CmdOrCtrl+E` (nothing when the item is disabled). */
  pressAccelerator(accelerator: string): Promise<void>;
  /** Whether an application-menu item is enabled (not greyed out) now. */
  isMenuEnabled(...labels: string[]): Promise<boolean>;
  /** Resolves with the exit code once the app process has ended. */
  readonly exited: Promise<number | null>;
  /** Ends the app if it still runs (kills it) and disconnects. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  /** Lab home (BNLAB_HOME). */
  home: string;
  /** Folder for the app's userData and documents. */
  dir: string;
}

/** The stand-in's answer to a menu command (`enabled` for `menu-item`). */
type MenuReply = Extract<ControlReport, { kind: 'menu-clicked' | 'menu-item' }>;

/** Starts the app and waits for its main window to show the renderer. */
export async function startDesktopApp(options: StartOptions): Promise<DesktopApp> {
  if (!existsSync(MAIN_ENTRY))
    throw new Error(`${MAIN_ENTRY} is missing: run \`npm run build\` first`);
  const child = fork(MAIN_ENTRY, [], {
    execArgv: [...tsxImport(), '--import', REGISTER],
    env: { ...process.env, BNLAB_HOME: options.home, BNLAB_STANDIN_DIR: options.dir },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const dialogs: DialogRecord[] = [];
  const cspViolations: string[] = [];
  const errors: string[] = [];
  const scripted = new Map<DialogKind, unknown[]>();
  const menuReplies = new Map<number, (reply: MenuReply) => void>();
  let nextMenuId = 1;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stderr?.on('data', (chunk: Buffer) => errors.push(`stderr: ${chunk.toString()}`));
  child.stdout?.resume();
  const command = (message: ControlCommand) => child.connected && child.send(message);

  const cdpUrl = new Promise<string>((resolve, reject) => {
    void exited.then((code) =>
      reject(new Error(`the app exited (${code}) before its window showed:\n${errors.join('')}`)),
    );
    child.on('message', (raw: ControlReport) => {
      switch (raw.kind) {
        case 'browser':
          return resolve(raw.cdpUrl);
        case 'dialog': {
          const queue = scripted.get(raw.dialog) ?? [];
          const answer = queue.length > 0 ? queue.shift() : null;
          dialogs.push({
            dialog: raw.dialog,
            options: raw.options as Record<string, unknown>,
            answer,
          });
          const cancel = raw.dialog === 'message' ? cancelButton(raw.options) : null;
          return void command({ kind: 'dialog-answer', id: raw.id, result: answer ?? cancel });
        }
        case 'menu-clicked':
        case 'menu-item':
          menuReplies.get(raw.id)?.(raw);
          return void menuReplies.delete(raw.id);
        case 'csp-violation':
          return void cspViolations.push(`${raw.url}: ${raw.text}`);
        case 'console-error':
          return void errors.push(`${raw.url}: ${raw.text}`);
      }
    });
  });

  /** Sends a menu command and waits for its reply; the reply's error is thrown. */
  async function menuCommand(
    message: Extract<ControlCommand, { kind: 'menu-click' | 'menu-accelerator' | 'menu-item' }>,
  ): Promise<MenuReply> {
    const reply = await new Promise<MenuReply>((resolve) => {
      menuReplies.set(message.id, resolve);
      command(message);
    });
    if (reply.error) throw new Error(reply.error);
    return reply;
  }

  const browser: Browser = await chromium.connectOverCDP(await cdpUrl);
  const page = await mainWindow(browser);
  return {
    page,
    dialogs,
    cspViolations,
    errors,
    answerNext(dialog: DialogKind, answer: unknown) {
      scripted.set(dialog, [...(scripted.get(dialog) ?? []), answer]);
    },
    async clickMenu(...labels) {
      await menuCommand({ kind: 'menu-click', id: nextMenuId++, path: labels });
    },
    async pressAccelerator(accelerator) {
      await menuCommand({ kind: 'menu-accelerator', id: nextMenuId++, accelerator });
    },
    async isMenuEnabled(...labels) {
      const reply = await menuCommand({ kind: 'menu-item', id: nextMenuId++, path: labels });
      return reply.kind === 'menu-item' && reply.enabled === true;
    },
    exited,
    async dispose() {
      await browser.close().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function cancelButton(options: unknown): number {
  const o = options as { cancelId?: number; buttons?: unknown[] };
  return o.cancelId ?? Math.max(0, (o.buttons?.length ?? 1) - 1);
}

/** The page showing the app's renderer, once it exists. */
async function mainWindow(browser: Browser): Promise<Page> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const page = browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith(APP_PAGE_PREFIX));
    if (page) return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the app showed no main window within 2 minutes');
}
