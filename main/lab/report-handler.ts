/** The `reports.export` method, and the report data the CLI's `bnlab report` uses too. */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import writeFileAtomic from 'write-file-atomic';
import { ApiError, type LabHandlers } from '../api/contract.js';
import type { ReportData } from '../reports/data.js';
import {
  ChromiumMissingError,
  compareRuns,
  defaultCompareName,
  defaultReportName,
  exportComparison,
  exportReport,
  NoChartsError,
  pngChartCount,
  type CompareData,
} from '../reports/index.js';
import { StoreError, type RunStore } from '../store/index.js';
import { APP_VERSION } from './environment.js';
import type { LabHooks } from './types.js';

/** Everything stored about an experiment, as the report renderers take it. */
export async function loadReportData(store: RunStore, experimentId: string): Promise<ReportData> {
  const experiment = await store.getExperiment(experimentId);
  const runs: ReportData['runs'] = [];
  const unreadable: NonNullable<ReportData['unreadable']> = [];
  // Run by run, so a corrupt run.json costs that run (named in the report), not the report.
  for (const id of experiment.runIds) {
    try {
      const record = await store.getRun(id);
      runs.push({ record, events: await store.readEvents(id) });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'not-found') continue; // not started
      unreadable.push({ id, message: (error as Error).message });
    }
  }
  return {
    experiment,
    runs,
    unreadable,
    generatedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
  };
}

/**
 * Writes the report where the user chose (desktop) or under `<home>/reports/` (CLI, browser).
 * PNG export is a folder of charts; for a browser download (`zipFolders`) it is packed into a .zip.
 */
export function reportHandler(
  store: RunStore,
  reportsDir: string,
  hooks: LabHooks,
  zipFolders: boolean,
): LabHandlers['reports.export'] {
  return async ({ experimentId, format }) => {
    const data = await loadReportData(store, experimentId);
    // Before the save dialog: nothing to chart is said at once, never an empty folder or zip.
    if (format === 'png') {
      try {
        pngChartCount(data);
      } catch (error) {
        throw apiError(error);
      }
    }
    const name = defaultReportName(data, format);
    const path = hooks.chooseReportPath
      ? await hooks.chooseReportPath(name, format)
      : join(reportsDir, name);
    // The user closed the save dialog: nothing written, and that is no error.
    if (!path) return { format, path: null, downloadUrl: null, complete: true };
    const printToPdf = hooks.printToPdf?.bind(hooks);
    const result = await exportReport(data, format, path, printToPdf ? { printToPdf } : {}).catch(
      (error: unknown) => {
        throw apiError(error);
      },
    );
    if (format === 'png' && zipFolders) {
      const zip = `${path}.zip`;
      const entries = await Promise.all(
        result.paths.map(async (file) => [basename(file), await readFile(file)] as const),
      );
      await writeFileAtomic(zip, Buffer.from(zipSync(Object.fromEntries(entries), { level: 0 })));
      return { format, path: zip, downloadUrl: null, complete: result.complete };
    }
    return { format, path, downloadUrl: null, complete: result.complete };
  };
}

/** The compared runs with their events and experiments, in the order given. */
export async function loadCompareData(
  store: RunStore,
  runIds: readonly string[],
): Promise<CompareData> {
  const runs: CompareData['runs'] = [];
  for (const id of runIds) {
    const record = await store.getRun(id);
    const experiment = await store.getExperiment(record.experimentId);
    runs.push({ experiment, run: { record, events: await store.readEvents(id) } });
  }
  return { runs, generatedAt: new Date().toISOString(), appVersion: APP_VERSION };
}

/** `compare.get`: the runs' records, labels and setting differences (what the compare view lists). */
export function comparisonHandler(store: RunStore): LabHandlers['compare.get'] {
  return async ({ runIds }) => {
    const records = [];
    for (const id of runIds) records.push(await store.getRun(id));
    return compareRuns(records);
  };
}

/** `reports.compare`: writes the comparison report where the user chose, or under `<home>/reports/`. */
export function compareReportHandler(
  store: RunStore,
  reportsDir: string,
  hooks: LabHooks,
): LabHandlers['reports.compare'] {
  return async ({ runIds, format }) => {
    const data = await loadCompareData(store, runIds);
    const name = defaultCompareName(runIds, format);
    const path = hooks.chooseReportPath
      ? await hooks.chooseReportPath(name, format)
      : join(reportsDir, name);
    if (!path) return { format, path: null, downloadUrl: null, complete: true };
    const printToPdf = hooks.printToPdf?.bind(hooks);
    const result = await exportComparison(
      data,
      format,
      path,
      printToPdf ? { printToPdf } : {},
    ).catch((error: unknown) => {
      throw apiError(error);
    });
    return { format, path: result.path, downloadUrl: null, complete: result.complete };
  };
}

/** The report errors a user can act on, as API errors (the message is shown as it is). */
function apiError(error: unknown): unknown {
  if (error instanceof ChromiumMissingError) return new ApiError('unavailable', error.message);
  if (error instanceof NoChartsError) return new ApiError('conflict', error.message);
  return error;
}
