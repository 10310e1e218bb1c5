/** PNG export: every chart of the HTML report as its own image, white background, 2× pixels. */
import { withReportPage, type BrowserOptions } from './chromium.js';
import type { ReportData } from './data.js';

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * PNG export of an experiment that has nothing to chart yet (no run has finished an epoch): an
 * error, never an empty folder or zip. The message says what each run is doing, so "why are there
 * no charts" is answered where it is asked (CLI, app, test).
 */
export class NoChartsError extends Error {
  constructor(data: ReportData) {
    const runs = data.runs.map(({ record }) => {
      const why = record.error ? `: ${record.error}` : '';
      return `${record.variant.name} seed ${record.seed} ${record.status} after ${record.epochsCompleted} epoch(s)${why}`;
    });
    const unreadable = data.unreadable?.length ?? 0;
    const unstarted = data.experiment.runIds.length - data.runs.length - unreadable;
    if (unreadable > 0) runs.push(`${unreadable} run(s) unreadable`);
    if (unstarted > 0) runs.push(`${unstarted} run(s) not started`);
    super(
      `experiment ${data.experiment.id} has no chart to export as PNG yet: no run has finished an ` +
        `epoch (${runs.join('; ') || 'no runs'})`,
    );
    this.name = 'NoChartsError';
  }
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
