/**
 * PNG export of an experiment that has nothing to chart (no run finished an epoch: still queued,
 * failed at start-up) is an error that says why — never an empty zip or folder passed off as the
 * charts (a loaded test machine once downloaded a zip of 0 PNGs without a word).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ApiError } from '../../../../main/api/contract.js';
import { reportHandler } from '../../../../main/lab/report-handler.js';
import type { LabHooks } from '../../../../main/lab/types.js';
import {
  environment,
  newExperiment,
  tempStore,
  variant,
  type TempStore,
} from '../store/store-fixture.js';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore();
});
afterEach(() => t.cleanup());

async function experimentWithoutEpochs(): Promise<string> {
  const experiment = await t.store.createExperiment(newExperiment());
  await t.store.createRun(experiment, { variant: variant('bn-none'), seed: 1, environment });
  const failed = await t.store.createRun(experiment, {
    variant: variant('bn-before'),
    seed: 1,
    environment,
  });
  await t.store.updateRun(failed.id, {
    status: 'failed',
    error: 'the trainer exited with code 1 without a final event',
  });
  return experiment.id;
}

it('refuses PNG export with the runs’ status, before the save dialog, writing nothing', async () => {
  const experimentId = await experimentWithoutEpochs();
  const reports = path.join(t.home, 'reports');
  const asked: string[] = [];
  const desktop: LabHooks = {
    chooseReportPath: (name) => {
      asked.push(name);
      return Promise.resolve(null);
    },
  };
  // Browser mode (a zip to download) and the desktop app (a save dialog for the folder).
  for (const [zip, hooks] of [
    [true, {}],
    [false, desktop],
  ] as const) {
    const exportPng = reportHandler(t.store, reports, hooks, zip);
    const error = await exportPng({ experimentId, format: 'png' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('conflict');
    expect((error as ApiError).message).toBe(
      `experiment ${experimentId} has no chart to export as PNG yet: no run has finished an epoch ` +
        '(bn-none seed 1 queued after 0 epoch(s); bn-before seed 1 failed after 0 epoch(s): ' +
        'the trainer exited with code 1 without a final event)',
    );
  }
  expect(asked).toEqual([]);
  expect(await readdir(reports).catch(() => [])).toEqual([]);
});

it('still writes the HTML report of such an experiment, marked incomplete', async () => {
  const experimentId = await experimentWithoutEpochs();
  const exportReport = reportHandler(t.store, path.join(t.home, 'reports'), {}, true);
  const result = await exportReport({ experimentId, format: 'html' });
  expect(result.complete).toBe(false);
  expect(await readdir(path.join(t.home, 'reports'))).toEqual([`${experimentId}.html`]);
});
