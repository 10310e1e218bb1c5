/**
 * Chromium for the e2e tests: Debian's /usr/bin/chromium (or BNLAB_CHROMIUM) driven by
 * playwright-core. A missing browser is a failure with a clear message, never a skip.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../../main/reports/chromium.js';

export const CHROMIUM = process.env.BNLAB_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-artifacts/e2e');

/** Launches headless Chromium or throws saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's chromium (apt-get install chromium) or set BNLAB_CHROMIUM to a Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

/** Collects console errors and page errors, so a test can show (or assert) what went wrong. */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/**
 * Whole-page screenshot to test-artifacts/e2e/<name>.png. The viewport is stretched to the page
 * height first, so the sticky status bar lands at the bottom instead of across the middle.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1400, height: 900 };
  const height = Number(await page.evaluate<number>('document.documentElement.scrollHeight'));
  await page.setViewportSize({
    width: viewport.width,
    height: Math.max(viewport.height, Math.min(height, 6000)),
  });
  // Charts that just scrolled into view redraw on their IntersectionObserver callback.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}
