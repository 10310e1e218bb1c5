/**
 * Headless Chromium for PDF and PNG export (and the report tests): finds the browser, opens the
 * report with every network request blocked, and waits until its charts are drawn.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** The flags the report browser runs with: no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const DEFAULT_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The page's own address: served from memory by the route handler, never from a network. */
export const REPORT_URL = 'http://bnlab-report.invalid/report.html';

/**
 * A JavaScript expression that is true once the report page has drawn every chart (or failed to,
 * with `window.__reportError` set). Printers other than this module's (Electron's printToPDF) poll
 * it with `executeJavaScript` before printing. A string, not a function: main/ has no DOM types.
 */
export const REPORT_READY_EXPRESSION =
  "window.__reportReady === true || typeof window.__reportError === 'string'";

/**
 * How long one step of a headless Chromium may take: starting it, loading a page (the report's
 * inline script draws every chart before `load`; the GPU trainer's bundle is megabytes), drawing.
 * Generous on purpose: where a step takes a second on a quiet machine it can take minutes on a
 * busy one (a loaded CI box, other builds), and a slow export must not fail. A browser that is
 * really stuck still ends, with a message naming the step. Playwright's own defaults (30 s for a
 * page load, 180 s for a launch) are overridden by this everywhere the lab drives Chromium.
 */
export const BROWSER_STEP_TIMEOUT_MS = 600_000;

/** No Chromium to print or screenshot with; the message says how to get one. */
export class ChromiumMissingError extends Error {
  constructor(looked: string[]) {
    super(
      `PDF and PNG reports need Chromium, and none was found (looked at: ${looked.join(', ')}). ` +
        'Install it (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`; ' +
        'macOS: install Google Chrome) or set BNLAB_CHROMIUM to the path of a Chrome or Chromium executable. ' +
        'The HTML report needs no browser to be written; open it and print it from any browser.',
    );
    this.name = 'ChromiumMissingError';
  }
}

/** The Chromium executable: `BNLAB_CHROMIUM` when set (it must exist), else the usual system paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.BNLAB_CHROMIUM;
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new ChromiumMissingError([`BNLAB_CHROMIUM=${configured} (no such file)`]);
  }
  const found = DEFAULT_PATHS.find((p) => existsSync(p));
  if (!found) throw new ChromiumMissingError(['BNLAB_CHROMIUM (unset)', ...DEFAULT_PATHS]);
  return found;
}

export interface ReportPage {
  page: Page;
  /** Every request the page made (the report itself is the only one expected). */
  requests: string[];
  /** Requests aborted because they would have left the machine. */
  blocked: string[];
  /** Console errors and page errors (a CSP violation shows up here). */
  errors: string[];
}

export interface BrowserOptions {
  executablePath?: string;
  /** Device pixels per CSS pixel; 2 gives sharp PNGs. */
  deviceScaleFactor?: number;
  /**
   * CSS media the page is laid out for before it loads: `print` lays the charts out at their
   * printed size (PDF export and the layout tests), so they are drawn for it, not scaled. Default screen.
   */
  media?: 'screen' | 'print';
  /** Viewport width in CSS px (default 1280); the PDF printer uses the printable page width. */
  viewportWidth?: number;
}

/** Starts Chromium, runs `use` on the loaded report page, and always closes the browser. */
export async function withReportPage<T>(
  html: string,
  options: BrowserOptions,
  use: (report: ReportPage) => Promise<T>,
): Promise<T> {
  const executablePath = options.executablePath ?? findChromium();
  // Loaded on demand: the desktop app prints with Electron and does not ship playwright-core.
  const { chromium } = await import('playwright-core').catch((error: unknown) => {
    throw new Error(
      `headless PDF/PNG export needs the playwright-core package, which is not installed (${String(error)})`,
    );
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: BROWSER_STEP_TIMEOUT_MS,
    });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${executablePath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const context = await browser.newContext({
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      viewport: { width: options.viewportWidth ?? 1280, height: 900 },
      javaScriptEnabled: true,
    });
    const requests: string[] = [];
    const blocked: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === REPORT_URL) {
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      } else {
        blocked.push(url);
        await route.abort('blockedbyclient');
      }
    });
    const page = await context.newPage();
    if (options.media) await page.emulateMedia({ media: options.media });
    page.on('request', (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(REPORT_URL, { waitUntil: 'load', timeout: BROWSER_STEP_TIMEOUT_MS });
    await waitUntilDrawn(page, errors);
    return await use({ page, requests, blocked, errors });
  } finally {
    await browser.close();
  }
}

/**
 * Waits until `REPORT_READY_EXPRESSION` holds in a report page, polling it with `evaluate` every
 * `intervalMs`: Playwright's `page.evaluate` here, Electron's `executeJavaScript` for the desktop
 * printer (electron/dialogs.ts). Both go through DevTools, which the report's CSP does not govern;
 * not `page.waitForFunction`, which runs its predicate through the page's own `eval`, forbidden by
 * that CSP (`script-src` has no 'unsafe-eval'), so it failed at random. Throws
 * `ReportNotReadyError` when time runs out; any other error (the page closed, the browser crashed)
 * comes through with its own message.
 */
export async function waitForReportReady(
  evaluate: (expression: string) => Promise<unknown>,
  timeoutMs: number = BROWSER_STEP_TIMEOUT_MS,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await evaluate(REPORT_READY_EXPRESSION))) {
    if (Date.now() >= deadline) throw new ReportNotReadyError(timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The report page never said it had drawn its charts (nor that it failed to) in time. */
export class ReportNotReadyError extends Error {
  constructor(timeoutMs: number) {
    const within = timeoutMs >= 60_000 ? `${timeoutMs / 60_000} minutes` : `${timeoutMs / 1000} s`;
    super(`the report page did not finish drawing its charts within ${within}`);
    this.name = 'ReportNotReadyError';
  }
}

/** Waits for the report script's `__reportReady` flag; fails with the page's own error when it broke. */
async function waitUntilDrawn(page: Page, pageErrors: string[]): Promise<void> {
  try {
    await waitForReportReady((expression) => page.evaluate(expression));
  } catch (error) {
    const pageSaid = pageErrors.length ? ` (the page said: ${pageErrors.join('; ')})` : '';
    if (error instanceof ReportNotReadyError) throw new Error(`${error.message}${pageSaid}`);
    throw new Error(
      `the report page broke while drawing its charts: ${error instanceof Error ? error.message : String(error)}${pageSaid}`,
    );
  }
  const failure = await page.evaluate<string | null>('window.__reportError ?? null');
  if (failure !== null) throw new Error(`the report page failed to draw its charts: ${failure}`);
}
