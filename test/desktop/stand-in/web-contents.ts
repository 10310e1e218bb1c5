/**
 * `WebContents` over a playwright page: loading (custom schemes through urls.ts), the preload,
 * IPC both ways, `executeJavaScript` and `printToPDF`, and the page's CSP violations and console
 * errors reported to the test. Main → page messages go through CDP `Runtime.evaluate` without a
 * user gesture, as Electron's IPC carries none (a page cannot open a file picker from one).
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { report } from './control.js';
import { ipcMain } from './ipc-main.js';
import {
  CSP_BINDING,
  CSP_SCRIPT,
  DELIVER_FUNCTION,
  encodeDelivery,
  IPC_BINDING,
  preloadScript,
} from './page-scripts.js';
import type { StandInSession } from './session.js';
import { fromPageUrl, toPageUrl } from './urls.js';

let nextId = 1;

/** `WebFrameMain` as the IPC sender checks read it. */
export class StandInFrame {
  constructor(
    private readonly contents: StandInWebContents,
    readonly parent: StandInFrame | null,
    readonly routingId: number,
  ) {}
  readonly processId = 1;
  get url(): string {
    return this.contents.getURL();
  }
}

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = new StandInFrame(this, null, 1);
  private readonly subframe = new StandInFrame(this, this.mainFrame, 2);
  private readonly ready: Promise<{ page: Page; cdp: CDPSession }>;
  private destroyed = false;
  private delivery: Promise<unknown> = Promise.resolve();
  windowOpenHandler: unknown = null;

  constructor(session: StandInSession, preload: string | undefined) {
    super();
    this.ready = this.open(session, preload);
    // An unhandled failure here would end the app; the test sees it as a console error.
    this.ready.catch((error: unknown) =>
      report({ kind: 'console-error', url: '', text: `window failed: ${String(error)}` }),
    );
  }

  private async open(session: StandInSession, preload: string | undefined) {
    const context = await session.browserContext();
    const page = await context.newPage();
    const where = () => fromPageUrl(page.url()) ?? page.url();
    // Hash navigations keep the frame URL current for the sender checks.
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.lastUrl = where();
    });
    await page.exposeBinding(CSP_BINDING, (_source, text: string) =>
      report({ kind: 'csp-violation', url: where(), text }),
    );
    await page.addInitScript(CSP_SCRIPT);
    page.on('console', (message) => {
      const text = message.text();
      if (/Content[- ]Security[- ]Policy/i.test(text))
        report({ kind: 'csp-violation', url: where(), text });
      else if (message.type() === 'error') report({ kind: 'console-error', url: where(), text });
    });
    page.on('pageerror', (error) =>
      report({ kind: 'console-error', url: where(), text: `pageerror: ${error.message}` }),
    );
    if (preload) {
      await page.exposeBinding(
        IPC_BINDING,
        (source, op: string, channel: string, args: unknown[]) =>
          this.fromPage(source.frame === page.mainFrame(), op, channel, args),
      );
      await page.addInitScript(preloadScript(readFileSync(preload, 'utf8')));
    }
    return { page, cdp: await context.newCDPSession(page) };
  }

  private fromPage(isMain: boolean, op: string, channel: string, args: unknown[]): unknown {
    const event = {
      sender: this,
      senderFrame: isMain ? this.mainFrame : this.subframe,
      frameId: isMain ? 1 : 2,
      processId: 1,
    };
    if (op === 'send') return void ipcMain.emit(channel, event, ...args);
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }

  /** The playwright page (for the stand-in's own use). */
  async page(): Promise<Page> {
    return (await this.ready).page;
  }

  getURL(): string {
    return this.lastUrl;
  }
  private lastUrl = '';

  async loadURL(url: string): Promise<void> {
    const { page } = await this.ready;
    this.lastUrl = url;
    await page.goto(toPageUrl(url), { waitUntil: 'load' });
    this.lastUrl = fromPageUrl(page.url()) ?? page.url();
    this.emit('did-finish-load');
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) return;
    const expression = `window.${DELIVER_FUNCTION}?.(${JSON.stringify(encodeDelivery(channel, args))})`;
    this.delivery = this.delivery
      .then(() => this.ready)
      .then(({ cdp }) => cdp.send('Runtime.evaluate', { expression, userGesture: false }))
      .catch(() => undefined);
  }

  async executeJavaScript(code: string, userGesture = false): Promise<unknown> {
    const { cdp } = await this.ready;
    const result = await cdp.send('Runtime.evaluate', {
      expression: code,
      userGesture,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
    return result.result.value;
  }

  async printToPDF(options: { printBackground?: boolean; pageSize?: string; landscape?: boolean }) {
    const { page } = await this.ready;
    const format = typeof options.pageSize === 'string' ? options.pageSize : 'Letter';
    return page.pdf({
      format,
      printBackground: options.printBackground ?? false,
      landscape: options.landscape ?? false,
    });
  }

  setWindowOpenHandler(handler: unknown): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
    await (await this.ready.catch(() => null))?.page.close().catch(() => undefined);
  }
}
