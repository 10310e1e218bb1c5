/** PDF export: the HTML report printed by a browser engine. */
import { CHART_WIDTH } from './html.js';
import { withReportPage, type BrowserOptions } from './chromium.js';

/** Prints report HTML to PDF bytes. The app passes Electron's `webContents.printToPDF` here. */
export type PrintToPdf = (html: string) => Promise<Uint8Array>;

/** The headless-Chromium printer: A4, backgrounds on, after every chart has been drawn. */
export function chromiumPrintToPdf(options: BrowserOptions = {}): PrintToPdf {
  return (html) =>
    withReportPage(html, options, async ({ page }) => {
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' },
        // A chart is CHART_WIDTH CSS px wide; A4 minus margins holds ~700 px, so scale 1 fits it.
        scale: CHART_WIDTH > 700 ? 700 / CHART_WIDTH : 1,
      });
      return new Uint8Array(pdf);
    });
}

/** The report as PDF bytes, printed by `printToPdf` (default: headless Chromium). */
export async function renderPdf(
  html: string,
  printToPdf: PrintToPdf = chromiumPrintToPdf(),
): Promise<Uint8Array> {
  const bytes = await printToPdf(html);
  if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new Error('the PDF printer returned something that is not a PDF');
  }
  return bytes;
}
