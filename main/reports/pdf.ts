/** PDF export: the HTML report printed by a browser engine. */
import { withReportPage, type BrowserOptions } from './chromium.js';

/** Prints report HTML to PDF bytes. The app passes Electron's `webContents.printToPDF` here. */
export type PrintToPdf = (html: string) => Promise<Uint8Array>;

/** A4 with 12 mm margins on each side. */
const PAGE_MARGIN_MM = 12;
const A4_WIDTH_MM = 210;

/**
 * The printable width of the PDF page in CSS px (96 per inch): A4 minus both margins, 186 mm ≈
 * 703 px. The report is laid out at this width before printing, so its charts are drawn at the
 * size they are printed and its tables wrap inside the page (test/unit/main/reports/pdf-layout).
 */
export const PDF_PRINTABLE_WIDTH_PX = Math.floor(((A4_WIDTH_MM - 2 * PAGE_MARGIN_MM) / 25.4) * 96);

/**
 * The headless-Chromium printer: A4, backgrounds on, scale 1. The page is opened with print media
 * at the printable width, so every chart is drawn for its printed cell (sharp, at 2× pixels).
 */
export function chromiumPrintToPdf(options: BrowserOptions = {}): PrintToPdf {
  return (html) =>
    withReportPage(
      html,
      { deviceScaleFactor: 2, ...options, media: 'print', viewportWidth: PDF_PRINTABLE_WIDTH_PX },
      async ({ page }) => {
        const margin = `${PAGE_MARGIN_MM}mm`;
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          margin: { top: margin, bottom: margin, left: margin, right: margin },
        });
        return new Uint8Array(pdf);
      },
    );
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
