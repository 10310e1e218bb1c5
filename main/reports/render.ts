/** One entry point for every report format: data in, named files (bytes) out. */
import { assertNever } from '../api/events.js';
import { analyzeReport, type ReportAnalysis } from './analysis.js';
import type { BrowserOptions } from './chromium.js';
import { renderCsv } from './csv.js';
import type { ReportData, ReportFormat } from './data.js';
import { renderHtml, reportCharts } from './html.js';
import { renderJson } from './json.js';
import { chromiumPrintToPdf, renderPdf, type PrintToPdf } from './pdf.js';
import { NoChartsError, renderPngs, type NamedFile } from './png.js';

export interface RenderOptions {
  /** PDF printer; default headless Chromium (the desktop app passes Electron's printToPDF). */
  printToPdf?: PrintToPdf;
  /** Chromium for PDF/PNG; default `BNLAB_CHROMIUM` or the system's. */
  chromiumPath?: string;
}

export interface RenderedReport {
  format: ReportFormat;
  /** False while runs are queued/running or missing: the report says so too. */
  complete: boolean;
  /** One file for html/pdf/csv/json (named by `extension`), one per chart for png. */
  files: NamedFile[];
}

/** File extension of each single-file format (png is a folder of files). */
export const EXTENSIONS: Record<ReportFormat, string> = {
  html: 'html',
  pdf: 'pdf',
  csv: 'csv',
  json: 'json',
  png: 'png',
};

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * How many charts PNG export will write: at least one, or a NoChartsError naming each run's
 * status (an experiment whose runs have not finished an epoch has nothing to draw). Cheap: no
 * browser; callers check it before asking where to save.
 */
export function pngChartCount(
  data: ReportData,
  analysis: ReportAnalysis = analyzeReport(data),
): number {
  const charts = reportCharts(data, analysis).length;
  if (charts === 0) throw new NoChartsError(data);
  return charts;
}

/** Renders the report in one format. Single-file formats return one file named `report.<ext>`. */
export async function renderReport(
  data: ReportData,
  format: ReportFormat,
  options: RenderOptions = {},
): Promise<RenderedReport> {
  const analysis = analyzeReport(data);
  const browser: BrowserOptions = options.chromiumPath
    ? { executablePath: options.chromiumPath }
    : {};
  const single = (bytes: Uint8Array): NamedFile[] => [
    { name: `report.${EXTENSIONS[format]}`, bytes },
  ];
  let files: NamedFile[];
  switch (format) {
    case 'html':
      files = single(utf8(await renderHtml(data, analysis)));
      break;
    case 'pdf':
      files = single(
        await renderPdf(
          await renderHtml(data, analysis),
          options.printToPdf ?? chromiumPrintToPdf(browser),
        ),
      );
      break;
    case 'csv':
      files = single(utf8(renderCsv(data)));
      break;
    case 'json':
      files = single(utf8(renderJson(data, analysis)));
      break;
    case 'png': {
      const charts = pngChartCount(data, analysis);
      files = await renderPngs(await renderHtml(data, analysis), browser);
      // Every chart of the page, or an error: a partial set of PNGs must not pass for the report.
      if (files.length !== charts)
        throw new Error(`the report page has ${files.length} of its ${charts} charts`);
      break;
    }
    default:
      return assertNever(format);
  }
  return { format, complete: analysis.complete, files };
}
