import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import { callLab } from '../../../../main/cli/call.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab } from '../../../../main/lab/types.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

let home: string;
let lab: Lab;
let experimentId: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-report-'));
  lab = await createLab({ home, mode: 'browser' });
  const spec = ExperimentSpec.parse(tinyExperiment({ training: { epochs: 1 } }));
  experimentId = (await callLab(lab, 'experiments.create', { spec, backend: 'auto' })).experiment
    .id;
  await lab.idle();
  // Trains a tiny experiment (two runs): minutes when the machine is busy. A run that did not
  // complete fails here with its status and error, not later as a report without charts.
  const { runs } = await callLab(lab, 'experiments.get', { id: experimentId });
  expect(
    runs.map((r) => `${r.variant.name}: ${r.status}${r.error ? ` (${r.error})` : ''}`).sort(),
  ).toEqual(['bn-before: completed', 'no-bn: completed']);
}, 300_000);
afterAll(async () => {
  await lab.close();
  await rm(home, { recursive: true, force: true });
});

describe('reports.export', () => {
  it('writes an HTML report of the stored runs under <home>/reports/', async () => {
    const result = await callLab(lab, 'reports.export', { experimentId, format: 'html' });
    expect(result.complete).toBe(true);
    expect(dirname(result.path!)).toBe(join(home, 'reports'));
    expect(basename(result.path!)).toBe(`${experimentId}.html`);
    const html = await readFile(result.path!, 'utf8');
    expect(html).toContain('no-bn');
    expect(html).toContain('bn-before');
  });

  it('packs the PNG charts into one zip for a browser download', async () => {
    const result = await callLab(lab, 'reports.export', { experimentId, format: 'png' });
    expect(result.path).toMatch(/\.zip$/);
    const entries = unzipSync(await readFile(result.path!));
    const names = Object.keys(entries);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      expect(name).toMatch(/\.png$/);
      expect([...entries[name]!.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    }
  });

  it('answers a cancelled save dialog with no path and writes nothing (not an error)', async () => {
    const other = await createLab({
      home,
      mode: 'electron',
      hooks: { chooseReportPath: () => Promise.resolve(null) },
    });
    try {
      const before = await readdir(join(home, 'reports'));
      const result = await callLab(other, 'reports.export', { experimentId, format: 'html' });
      expect(result).toMatchObject({ path: null, downloadUrl: null });
      expect(await readdir(join(home, 'reports'))).toEqual(before);
    } finally {
      await other.close();
    }
  });
});
