/** JSON export: everything the report was made from, plus the derived analysis. */
import { analyzeReport, type ReportAnalysis } from './analysis.js';
import { REPORT_SCHEMA_VERSION, type ReportData } from './data.js';

/** The JSON file's top-level shape; `schemaVersion` changes when this shape does. */
export interface ReportJson extends ReportData {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'bnlab-report';
  analysis: ReportAnalysis;
}

/** The report as JSON text (compact: events with histograms make indentation costly). */
export function renderJson(
  data: ReportData,
  analysis: ReportAnalysis = analyzeReport(data),
): string {
  const report: ReportJson = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'bnlab-report',
    generatedAt: data.generatedAt,
    appVersion: data.appVersion,
    experiment: data.experiment,
    runs: data.runs,
    analysis,
  };
  return `${JSON.stringify(report)}\n`;
}
