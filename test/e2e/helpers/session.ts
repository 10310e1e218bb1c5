/**
 * One test's browser session: a fresh lab home and server (helpers/lab-server.ts) and a new
 * Chromium context on it, torn down whatever happens.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, recordPageErrors } from './browser.js';
import { startLabServer, type LabServer } from './lab-server.js';

// Launched by the first test rather than in beforeAll: a missing Chromium then fails every test
// with its message instead of reporting them as skipped.
let browser: Browser | null = null;

/** Polling budget for anything that waits on training (slow, shared CPUs). */
export const POLL = { timeout: 180_000, interval: 500 };

/** Runs `body` with a fresh lab behind a server and a page (console errors collected). */
export async function withLab(
  body: (lab: LabServer, page: Page, errors: string[]) => Promise<void>,
): Promise<void> {
  browser ??= await launchChromium();
  const lab = await startLabServer();
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  try {
    await body(lab, page, errors);
  } finally {
    await context.close();
    await lab.close();
  }
}

/** Closes the shared browser (afterAll of each test file). */
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}
