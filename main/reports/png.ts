/** PNG export: every chart of the HTML report as its own image, white background, 2× pixels. */
import { withReportPage, type BrowserOptions } from './chromium.js';

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Renders the report in headless Chromium and reads each canvas back as PNG (the report's script
 * paints chart backgrounds white). Files are named `NN-<chart id>.png` in page order.
 */
export async function renderPngs(html: string, options: BrowserOptions = {}): Promise<NamedFile[]> {
  return withReportPage(html, { deviceScaleFactor: 2, ...options }, async ({ page }) => {
    const images = await page.evaluate<{ id: string; dataUrl: string }[]>(
      `Array.from(document.querySelectorAll('figure.chart canvas')).map((c) => ({ id: c.id.replace(/^chart-/, ''), dataUrl: c.toDataURL('image/png') }))`,
    );
    return images.map(({ id, dataUrl }, i) => {
      const base64 = dataUrl.replace(/^data:image\/png;base64,/, '');
      return {
        name: `${String(i + 1).padStart(2, '0')}-${id}.png`,
        bytes: new Uint8Array(Buffer.from(base64, 'base64')),
      };
    });
  });
}
