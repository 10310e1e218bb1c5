/**
 * Cross-experiment comparison: the setting differences and the controlled-comparison note, and
 * the comparison report as the user gets it — drawn in Chromium, inside the printed page, as PDF.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChartModel } from '../../../../main/reports/chart-model.js';
import { withReportPage } from '../../../../main/reports/chromium.js';
import { compareCharts, compareRuns, type CompareData } from '../../../../main/reports/compare.js';
import {
  defaultCompareName,
  exportComparison,
  renderCompareHtml,
} from '../../../../main/reports/index.js';
import { PDF_PRINTABLE_WIDTH_PX } from '../../../../main/reports/pdf.js';
import { artifactsDir, pdfText, requireChromium } from './chromium-required.js';
import { buildReportData } from './fixtures.js';

let executablePath: string;
beforeAll(() => {
  executablePath = requireChromium();
});

/** bn-before of a simple-CNN experiment against no-bn / bn-before of a deeper-CNN one. */
function twoExperiments(): CompareData {
  const simple = buildReportData({ name: 'bn-simple', seeds: 2, epochs: 3 });
  const deeper = buildReportData({
    name: 'bn-deeper',
    seeds: 1,
    epochs: 4,
    variants: [
      { name: 'no-bn', architecture: 'deeper-cnn' },
      { name: 'bn-before', architecture: 'deeper-cnn', bn: 'before-activation' },
    ],
    // The deeper no-BN network stays at chance: it did not learn.
    valAccuracy: (v, _s, epoch) => (v.bn === 'none' ? 0.1 : 0.9 - 0.5 / epoch),
    valLoss: (v, _s, epoch) => (v.bn === 'none' ? 2.31 : 0.1 + 1 / epoch),
  });
  const pick = (data: typeof simple, variant: string, seed: number) => ({
    experiment: data.experiment,
    run: data.runs.find((r) => r.record.variant.name === variant && r.record.seed === seed)!,
  });
  return {
    runs: [pick(simple, 'bn-before', 1), pick(deeper, 'bn-before', 1), pick(deeper, 'no-bn', 1)],
    generatedAt: '2026-11-02T08:30:00.000Z',
    appVersion: '0.1.0',
  };
}

describe('compareRuns', () => {
  it('lists the differing settings per run and says when the comparison is not controlled', () => {
    const data = twoExperiments();
    const c = compareRuns(data.runs.map((r) => r.run.record));
    expect(c.runs.map((r) => r.label)).toEqual([
      'bn-simple · bn-before · seed 1',
      'bn-deeper · bn-before · seed 1',
      'bn-deeper · no-bn · seed 1',
    ]);
    expect(c.experiments).toBe(2);
    expect(c.differing).toEqual([
      { field: 'architecture', values: ['simple-cnn', 'deeper-cnn', 'deeper-cnn'] },
      { field: 'batch normalization', values: ['before-activation', 'before-activation', 'none'] },
      { field: 'epochs', values: [3, 4, 4] },
    ]);
    // BN momentum is no setting of a network without BN: it does not count as a difference.
    expect(c.shared).toContainEqual({ field: 'BN momentum', value: 0.9 });
    expect(c.shared).toContainEqual({ field: 'dataset', value: 'mnist' });
    expect(c.control).toBe('uncontrolled');
    expect(c.notes[0]).toBe(
      'Not a controlled comparison: the runs differ in 3 settings (architecture, batch normalization, epochs), so a difference between their curves cannot be put down to any one of them.',
    );
    expect(c.notes.join(' ')).toContain('nothing is averaged across experiments');
  });

  it('calls a comparison controlled when one setting differs, and names it', () => {
    const data = buildReportData({ name: 'bn-simple', seeds: 1 });
    const bnBefore = buildReportData({
      name: 'bn-simple-again',
      seeds: 1,
      variants: [{ name: 'bn-before', bn: 'before-activation', width: 0.5 }],
    });
    const c = compareRuns([data.runs[1]!.record, bnBefore.runs[0]!.record]);
    expect(c.control).toBe('controlled');
    expect(c.differing.map((d) => d.field)).toEqual(['width']);
    expect(c.notes[0]).toBe('The runs differ in one setting only: width.');
    const same = compareRuns([data.runs[0]!.record, { ...data.runs[0]!.record, seed: 2 }]);
    expect(same.control).toBe('same-settings');
    expect(same.notes.join(' ')).toContain('different seeds');
  });

  it('draws every run as its own line, named by experiment, variant and seed, clipped to the valid range', () => {
    const charts = compareCharts(twoExperiments());
    const accuracy = charts.find((c) => c.id === 'compare-accuracy')!;
    expect([accuracy.yMin, accuracy.yMax]).toEqual([0, 1]);
    expect(accuracy.series.map((s) => s.label)).toEqual([
      'bn-simple · bn-before · seed 1 train',
      'bn-simple · bn-before · seed 1 validation',
      'bn-deeper · bn-before · seed 1 train',
      'bn-deeper · bn-before · seed 1 validation',
      'bn-deeper · no-bn · seed 1 train (did not learn)',
      'bn-deeper · no-bn · seed 1 validation (did not learn)',
    ]);
    expect(accuracy.series.every((s) => s.band === null)).toBe(true);
    // The simple CNN trained 3 epochs, the deeper 4: no value where a run has no epoch.
    expect(accuracy.labels).toEqual(['1', '2', '3', '4']);
    expect(accuracy.series[0]!.data[3]).toBeNull();
  });
});

describe('comparison report', () => {
  it('draws its charts and fits the printed page', async () => {
    const html = await renderCompareHtml(twoExperiments());
    await withReportPage(
      html,
      { executablePath, media: 'print', viewportWidth: PDF_PRINTABLE_WIDTH_PX },
      async ({ page, errors, requests }) => {
        expect(errors).toEqual([]);
        expect(requests).toHaveLength(1);
        const charts = await page.evaluate<ChartModel[]>(
          `JSON.parse(document.getElementById('report-data').textContent).charts`,
        );
        expect(charts.map((c) => c.id)).toEqual(['compare-loss', 'compare-accuracy']);
        const widest = await page.evaluate<number>(
          `Math.max(...[...document.querySelectorAll('table, figure, canvas')].map((el) => el.getBoundingClientRect().right))`,
        );
        expect(widest).toBeLessThanOrEqual(PDF_PRINTABLE_WIDTH_PX);
        const differences = await page.getByTestId('compare-differences').textContent();
        expect(differences).toContain('deeper-cnn');
        expect(await page.getByTestId('compare-notes').textContent()).toContain(
          'Not a controlled comparison',
        );
        expect(await page.getByTestId('not-learned').count()).toBe(1);
      },
    );
  });

  it('prints to a PDF of one or two pages that names every run', async () => {
    const data = twoExperiments();
    const ids = data.runs.map((r) => r.run.record.id);
    const name = defaultCompareName(ids, 'pdf');
    expect(name).toMatch(/^compare-[0-9a-f]{12}\.pdf$/);
    expect(defaultCompareName([...ids].reverse(), 'pdf')).not.toBe(name);
    const path = join(artifactsDir(), 'comparison.pdf');
    const result = await exportComparison(data, 'pdf', path, { chromiumPath: executablePath });
    expect(result.complete).toBe(true);
    const text = pdfText(path);
    expect(text).toContain('Comparison of 3 runs from 2 experiments');
    expect(text).toContain('bn-deeper · no-bn · seed 1');
    const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }));
    expect(Number(pages?.[1])).toBeLessThanOrEqual(2);
  });
});
