import { describe, expect, test } from 'vitest';
import type { EventOf, RunRecord } from '../../../../main/api/index.js';
import { runVerdict, runsInMeans } from '../../../../renderer/lib/learning.js';
import { buildReportData } from '../../main/reports/fixtures.js';

const epoch = (valAccuracy: number, valLoss = 1): EventOf<'epoch'> => ({
  kind: 'epoch',
  time: 1,
  epoch: 1,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss,
  valAccuracy,
  learningRate: 0.01,
  durationMs: 1,
  imagesPerSecond: 1,
});

describe('not-learned runs in the app', () => {
  const runs = buildReportData({ seeds: 3 })
    .runs.map((r) => r.record)
    .slice(0, 3);
  const epochs: Record<string, EventOf<'epoch'>[]> = {
    [runs[0]!.id]: [epoch(0.9)],
    [runs[1]!.id]: [epoch(0.11, 2.31)],
    [runs[2]!.id]: [epoch(0.85)],
  };

  test('flags a finished run at chance, from its epochs or from its record', () => {
    expect(runVerdict(runs[1]!, epochs[runs[1]!.id])?.learned).toBe(false);
    expect(runVerdict(runs[0]!, epochs[runs[0]!.id])?.learned).toBe(true);
    const record: RunRecord = { ...runs[0]!, lastValAccuracy: 0.1, lastValLoss: 2.4 };
    expect(runVerdict(record)?.explanation).toMatch(/^did not learn: validation accuracy 10\.0 %/);
    expect(runVerdict({ ...record, status: 'running' })).toBeNull();
  });

  test('keeps such runs out of the mean curves, unless no run of the variant learned', () => {
    expect(runsInMeans(runs, (r) => epochs[r.id] ?? []).map((r) => r.id)).toEqual([
      runs[0]!.id,
      runs[2]!.id,
    ]);
    expect(runsInMeans([runs[1]!], (r) => epochs[r.id] ?? [])).toHaveLength(1);
  });
});
