import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../../../main/reports/analysis.js';
import { chosenEpochs, histogramCharts } from '../../../../main/reports/histogram-charts.js';
import { reportCharts } from '../../../../main/reports/html.js';
import { buildReportData } from './fixtures.js';

describe('report charts', () => {
  it('picks the first, middle and last probed epochs', () => {
    expect(chosenEpochs(buildReportData({ epochs: 6 }))).toEqual([0, 3, 6]);
    expect(chosenEpochs(buildReportData({ epochs: 1 }))).toEqual([0, 1]);
  });

  it('overlays variants on decade-labelled symlog bins, with the ReLU zero spike moved to the legend', () => {
    const data = buildReportData({ epochs: 2 });
    const post = histogramCharts(data).find((c) => c.id === 'hist-conv1-post-epoch-2')!;
    expect(post.series.map((s) => s.label)).toEqual([
      expect.stringMatching(/^no-bn \(zeros \d+\.\d%\)$/),
      expect.stringMatching(/^bn-before \(zeros \d+\.\d%\)$/),
    ]);
    // The fixture's no-BN values reach ~10–100: the axis runs to the 100 decade edge, labelled.
    const ticks = post.ticks!.filter((t): t is string => t !== null);
    expect(ticks).toEqual(expect.arrayContaining(['0', '0.01', '0.1', '1', '10', '100']));
    const pre = histogramCharts(data).find((c) => c.id === 'hist-conv1-pre-epoch-2')!;
    expect(pre.ticks!.filter((t) => t !== null)).toEqual(
      expect.arrayContaining(['−10', '−1', '0', '1', '10']),
    );
    // Fractions of all values: without the zeros each post series sums to (1 − zero fraction).
    for (const series of post.series) {
      const zeros = Number(/zeros (\d+\.\d)%/.exec(series.label)![1]) / 100;
      const sum = series.data.reduce<number>((a, b) => a + (b ?? 0), 0);
      expect(sum).toBeCloseTo(1 - zeros, 2);
    }
  });

  it('draws saturation charts for tanh layers and dead-unit charts for ReLU layers', () => {
    const data = buildReportData({
      variants: [
        { name: 'relu', activation: 'relu' },
        { name: 'tanh', activation: 'tanh' },
        { name: 'tanh-bn', activation: 'tanh', bn: 'before-activation' },
      ],
      layers: ['conv1', 'dense1'],
    });
    const charts = reportCharts(data, analyzeReport(data));
    const dead = charts.filter((c) => c.section === 'dead');
    const saturation = charts.filter((c) => c.section === 'saturation');
    expect(dead.map((c) => c.id)).toEqual(['dead-conv1', 'dead-dense1']);
    expect(dead[0]!.series.map((s) => s.label)).toEqual(['relu']);
    expect(saturation.map((c) => c.id)).toEqual(['saturation-conv1', 'saturation-dense1']);
    expect(saturation[0]!.series.map((s) => s.label)).toEqual(['tanh', 'tanh-bn']);
    expect(new Set(charts.map((c) => c.id)).size).toBe(charts.length);
  });

  it('gives mean ± std bands with several seeds, a thin line per seed, and none with one', () => {
    const two = reportCharts(buildReportData(), analyzeReport(buildReportData()));
    const accuracy = two.find((c) => c.id === 'accuracy')!;
    const means = accuracy.series.filter((s) => s.style === undefined);
    expect(means.map((s) => [s.label, s.dashed])).toEqual([
      ['no-bn train', false],
      ['no-bn validation', true],
      ['bn-before train', false],
      ['bn-before validation', true],
    ]);
    expect(accuracy.series.filter((s) => s.style === 'seed').map((s) => s.label)).toEqual([
      'no-bn seed 1 train',
      'no-bn seed 1 validation',
      'no-bn seed 2 train',
      'no-bn seed 2 validation',
      'bn-before seed 1 train',
      'bn-before seed 1 validation',
      'bn-before seed 2 train',
      'bn-before seed 2 validation',
    ]);
    const band = means[1]!.band!;
    expect(band.upper[0]! - band.lower[0]!).toBeCloseTo(2 * Math.SQRT1_2 * 0.01, 10);
    const one = buildReportData({ seeds: 1 });
    const oneChart = reportCharts(one, analyzeReport(one)).find((c) => c.id === 'accuracy')!;
    expect(oneChart.series[0]!.band).toBeNull();
    expect(oneChart.series.some((s) => s.style)).toBe(false);
  });

  it('clips bands to the valid range and marks a run that did not learn', () => {
    // bn-before's seeds end at 99.5 % and 60 %: mean + std passes 100 %; no-bn seed 2 is stuck.
    const data = buildReportData({
      seeds: 3,
      valAccuracy: (v, seed, epoch) =>
        v.bn === 'none' ? (seed === 1 ? 0.1 : 0.3 * epoch) : [0.995, 0.6, 0.99][seed]!,
      valLoss: (v, seed, epoch) => (v.bn === 'none' && seed === 1 ? 2.31 : 0.02 + 0.5 / epoch),
    });
    const charts = reportCharts(data, analyzeReport(data));
    const accuracy = charts.find((c) => c.id === 'accuracy')!;
    expect([accuracy.yMin, accuracy.yMax]).toEqual([0, 1]);
    const bnVal = accuracy.series.find((s) => s.label === 'bn-before validation')!;
    expect(Math.max(...bnVal.band!.upper.map((x) => x ?? 0))).toBe(1);
    const loss = charts.find((c) => c.id === 'loss')!;
    expect(loss.yMin).toBe(0);
    for (const s of loss.series)
      for (const x of s.band?.lower ?? []) expect(x).toBeGreaterThanOrEqual(0);
    const stuck = accuracy.series.filter((s) => s.style === 'not-learned');
    expect(stuck.map((s) => s.label)).toEqual(['no-bn seed 2 validation (did not learn)']);
    expect(stuck[0]!.data.every((x) => x === 0.1)).toBe(true);
    for (const c of charts.filter((c) => c.section === 'dead')) expect(c.yMax).toBe(1);
  });

  it('has no charts before any epoch has finished', () => {
    const data = buildReportData({ progress: () => ({ status: 'queued', epochsDone: 0 }) });
    data.runs.forEach((r) => (r.events = []));
    expect(reportCharts(data, analyzeReport(data))).toEqual([]);
  });
});
