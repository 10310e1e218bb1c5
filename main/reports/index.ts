/**
 * Reports: export an experiment as HTML, PDF, CSV, JSON or PNGs. Callers (CLI, lab service,
 * desktop) load a ReportData from the run store and call `exportReport`.
 */
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CompareFormat } from '../api/contract.js';
import { ACTIVE_STATUSES } from '../api/records.js';
import { chromiumPrintToPdf, renderPdf } from './pdf.js';
import { renderCompareHtml } from './compare-html.js';
import type { CompareData } from './compare.js';
import type { ReportData, ReportFormat } from './data.js';
import { EXTENSIONS, renderReport, type RenderOptions } from './render.js';

export { analyzeReport, type ReportAnalysis, type VariantAnalysis } from './analysis.js';
export { ChromiumMissingError, findChromium, REPORT_READY_EXPRESSION } from './chromium.js';
export {
  REPORT_FORMATS,
  REPORT_SCHEMA_VERSION,
  type ReportData,
  type ReportFormat,
  type ReportRun,
} from './data.js';
export { renderHtml } from './html.js';
export { compareRuns, type CompareData, type ComparedRun } from './compare.js';
export { renderCompareHtml } from './compare-html.js';
export { chromiumPrintToPdf, type PrintToPdf } from './pdf.js';
export { NoChartsError } from './png.js';
export { pngChartCount, renderReport, type RenderOptions, type RenderedReport } from './render.js';

export interface ExportResult {
  format: ReportFormat;
  /** The file written, or for png the folder the charts went into. */
  path: string;
  /** Every file written (absolute). */
  paths: string[];
  complete: boolean;
}

/**
 * Default name: the experiment's id (`<YYYYMMDD-HHMMSS>-<name>`, unique and file-safe), so two
 * experiments of one name never overwrite each other's reports; `.<ext>`, or `-charts` for the
 * png folder. Exporting one experiment again replaces its previous report.
 */
export function defaultReportName(data: ReportData, format: ReportFormat): string {
  const base = data.experiment.id;
  return format === 'png' ? `${base}-charts` : `${base}.${EXTENSIONS[format]}`;
}

/**
 * Renders and writes the report: single-file formats to `outPath` (a file), png into the folder
 * `outPath` (created if needed). Each file is written atomically (temp file + rename), so a reader
 * never sees half a report. Returns the paths written.
 */
export async function exportReport(
  data: ReportData,
  format: ReportFormat,
  outPath: string,
  options: RenderOptions = {},
): Promise<ExportResult> {
  const target = resolve(outPath);
  const rendered = await renderReport(data, format, options);
  if (format === 'png') {
    const existing = await stat(target).catch(() => null);
    if (existing && !existing.isDirectory())
      throw new Error(`cannot write PNG charts into ${target}: it is a file, not a folder`);
    await mkdir(target, { recursive: true });
    const paths = rendered.files.map((file) => join(target, file.name));
    await Promise.all(
      rendered.files.map((file, i) => writeFileAtomic(paths[i] ?? '', Buffer.from(file.bytes))),
    );
    return { format, path: target, paths, complete: rendered.complete };
  }
  const file = rendered.files[0];
  if (!file) throw new Error(`the ${format} report produced no file`);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, Buffer.from(file.bytes));
  return { format, path: target, paths: [target], complete: rendered.complete };
}

/**
 * Default name of a comparison report: `compare-<12 hex digits>.<ext>`, a hash of the run ids in
 * their order, so the same comparison exported again replaces its file and another never does.
 */
export function defaultCompareName(runIds: readonly string[], format: CompareFormat): string {
  const hash = createHash('sha256').update(runIds.join('\n')).digest('hex').slice(0, 12);
  return `compare-${hash}.${format}`;
}

/** Renders the comparison (HTML, or that printed to PDF) and writes it atomically to `outPath`. */
export async function exportComparison(
  data: CompareData,
  format: CompareFormat,
  outPath: string,
  options: RenderOptions = {},
): Promise<{ path: string; complete: boolean }> {
  const target = resolve(outPath);
  const html = await renderCompareHtml(data);
  const bytes =
    format === 'html'
      ? new TextEncoder().encode(html)
      : await renderPdf(
          html,
          options.printToPdf ??
            chromiumPrintToPdf(
              options.chromiumPath ? { executablePath: options.chromiumPath } : {},
            ),
        );
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, Buffer.from(bytes));
  const complete = data.runs.every((r) => !ACTIVE_STATUSES.includes(r.run.record.status));
  return { path: target, complete };
}
