/**
 * A report of an experiment one of whose runs is damaged (issue 10, defect 6): the other runs
 * are reported, and the banner counts and names the damaged one instead of "no data yet".
 */
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadReportData } from '../../../../main/lab/report-handler.js';
import { analyzeReport } from '../../../../main/reports/analysis.js';
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

it('reports the readable runs and names the unreadable one', async () => {
  const experiment = await t.store.createExperiment(newExperiment());
  const runs = [];
  for (const name of ['bn-none', 'bn-before']) {
    for (const seed of [1, 2])
      runs.push(await t.store.createRun(experiment, { variant: variant(name), seed, environment }));
  }
  const [damagedEvents, corrupt, , notStarted] = runs;
  await appendFile(path.join(t.store.runDir(damagedEvents!.id), 'events.jsonl'), '{oops\n');
  await writeFile(path.join(t.store.runDir(corrupt!.id), 'run.json'), '{"id": 3}');
  await t.store.deleteRun(notStarted!.id).catch(() => undefined);
  await t.store.updateExperiment(experiment.id, (e) => ({
    ...e,
    runIds: [...e.runIds, notStarted!.id],
  }));

  const data = await loadReportData(t.store, experiment.id);
  expect(data.runs.map((r) => r.record.id)).toEqual([runs[0]!.id, runs[2]!.id]);
  expect(data.unreadable).toEqual([
    { id: corrupt!.id, message: expect.stringMatching(/run\.json is invalid: /) as unknown },
  ]);
  const { incompleteReasons } = analyzeReport(data);
  expect(incompleteReasons).toContain('1 of 4 runs have no data yet');
  expect(incompleteReasons.join(' ')).toMatch(
    /1 of 4 runs cannot be read \(.*run\.json is invalid/,
  );
  expect(t.warnings.join('\n')).toMatch(/events\.jsonl:1: skipped a line that is not valid JSON/);
});
