/**
 * Screenshots of a view at the sizes and themes a user sees it in, written as test artefacts to
 * test-results/screenshots/<name>-<width>x<height>-<scheme>.png (gitignored), for a person to look
 * at. Each is the whole page: the viewport is stretched to the page height first (up to 6000 px),
 * so the sticky status bar lands at the bottom, then set back.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve('test-results/screenshots');
export const VIEW_SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;

/** Writes `name` at 1440×900 and 1024×700, light and dark; returns the files written. */
export async function viewScreenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1400, height: 900 };
  const files: string[] = [];
  for (const size of VIEW_SIZES) {
    for (const colorScheme of SCHEMES) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme });
      const height = Number(await page.evaluate<number>('document.documentElement.scrollHeight'));
      await page.setViewportSize({
        width: size.width,
        height: Math.max(size.height, Math.min(height, 6000)),
      });
      // Charts redraw on their IntersectionObserver callback and on the theme change.
      await page.evaluate(
        'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))',
      );
      const file = path.join(
        SCREENSHOTS,
        `${name}-${size.width}x${size.height}-${colorScheme}.png`,
      );
      await page.screenshot({ path: file });
      files.push(file);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
  return files;
}
