/**
 * Waiting for the report page to say it has drawn its charts, on a page whose CSP forbids `eval`
 * as the report's does. Playwright's own waitForFunction evaluates its predicate with the page's
 * `eval`, so under that CSP it failed at random (CI, stop 17): these pages set their flag late, so
 * every wait has to poll more than once, through DevTools.
 */
import { createHash } from 'node:crypto';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  ReportNotReadyError,
  waitForReportReady,
  withReportPage,
} from '../../../../main/reports/chromium.js';
import { requireChromium } from './chromium-required.js';

/** A page with the report's kind of CSP (script by hash only, no eval) running `script`. */
function strictPage(script: string): string {
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'`;
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body><p>report</p><script>${script}</script></body></html>`;
}

describe('waiting for the report page to be drawn', () => {
  it('sees a flag set late under a CSP without eval, and the page logs no violation', async () => {
    const page = strictPage('setTimeout(function () { window.__reportReady = true; }, 400);');
    await withReportPage(page, { executablePath: requireChromium() }, async ({ page, errors }) => {
      expect(await page.evaluate('window.__reportReady')).toBe(true);
      expect(errors).toEqual([]);
    });
  });

  it('passes on the error a page reports while drawing', async () => {
    const page = strictPage(
      "setTimeout(function () { window.__reportError = 'no canvas for chart loss'; }, 300);",
    );
    await expect(
      withReportPage(page, { executablePath: requireChromium() }, () => Promise.resolve()),
    ).rejects.toThrow('the report page failed to draw its charts: no canvas for chart loss');
  });

  it('gives up with a timeout error naming the wait when the page never says it is drawn', async () => {
    await onStrictPage('/* draws nothing, says nothing */', async (page) => {
      const error = await waitForReportReady(
        (expression) => page.evaluate(expression),
        300,
        20,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReportNotReadyError);
      expect(String(error)).toContain('did not finish drawing its charts within 0.3 s');
    });
  });

  it('lets other failures through with their own message, not as a timeout', async () => {
    await onStrictPage('/* never ready */', async (page) => {
      const outcome = waitForReportReady(
        (expression) => page.evaluate(expression),
        600_000,
        20,
      ).then(
        () => null,
        (error: unknown) => error,
      );
      await page.close();
      const error = await outcome;
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ReportNotReadyError);
      expect(String(error)).toMatch(/closed/);
    });
  });
});

/** Opens a bare page with `strictPage(script)` in the real Chromium and hands it to `use`. */
async function onStrictPage(script: string, use: (page: Page) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(strictPage(script));
    await use(page);
  } finally {
    await browser.close();
  }
}
