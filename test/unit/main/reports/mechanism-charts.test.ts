import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../../../main/reports/analysis.js';
import { reportCharts } from '../../../../main/reports/html.js';
import { buildReportData } from './fixtures.js';

const stats = (mean: number, std: number) => ({
  mean,
  std,
  min: mean - 2 * std,
  max: mean + 2 * std,
});

function withProbes() {
  return buildReportData({
    seeds: 2,
    epochs: 2,
    variants: [
      { name: 'tanh-no-bn', activation: 'tanh' },
      { name: 'tanh-bn', activation: 'tanh', bn: 'before-activation', dropout: 0.5 },
    ],
    layerExtras: (variant, seed, epoch) => ({
      linearFraction: variant.bn === 'none' ? 0.2 : 0.6 + 0.1 * seed,
      bnGamma: variant.bn === 'none' ? null : stats(1 + 0.1 * epoch, 0.2),
      bnBeta: variant.bn === 'none' ? null : stats(0.05 * epoch, 0.1),
      gradNorm: 0.5 + epoch,
      zeroGradFraction: 0,
    }),
    probeExtras: (variant, seed) => ({
      bnModes:
        variant.bn === 'none'
          ? null
          : { movingStatsAccuracy: 0.9, batchStatsAccuracy: 0.8 + 0.02 * seed },
      dropoutEnsemble:
        variant.dropout === 0
          ? null
          : {
              weightScaledAccuracy: 0.9,
              samples: [1, 2, 4],
              thinnedAccuracy: [0.8, 0.85, 0.88 + 0.01 * seed],
            },
    }),
  });
}

describe('mechanism charts in the report', () => {
  it('draws linear share, γ/β, gradient flow, BN modes and the MC-dropout curve when the probes exist', () => {
    const data = withProbes();
    const charts = reportCharts(data, analyzeReport(data));
    const byId = new Map(charts.map((c) => [c.id, c]));
    const linear = byId.get('linear-conv1')!;
    expect(linear.series.map((s) => s.label)).toEqual([
      'tanh-no-bn linear',
      'tanh-no-bn saturated',
      'tanh-bn linear',
      'tanh-bn saturated',
    ]);
    // Seeds 0 and 1 of the BN variant: 60 % and 70 % in the linear band, at every probe (0, 1, 2).
    expect(linear.labels).toEqual(['0', '1', '2']);
    for (const value of linear.series[2]!.data) expect(value).toBeCloseTo(0.65, 10);
    const gamma = byId.get('bn-params-conv1')!;
    // Only the BN variant has γ/β; the band is ± the spread across units.
    expect(gamma.series.map((s) => s.label)).toEqual(['tanh-bn γ', 'tanh-bn β']);
    expect(gamma.series[0]!.data.at(-1)).toBeCloseTo(1.2, 10);
    expect(gamma.series[0]!.band!.upper.at(-1)).toBeCloseTo(1.4, 10);
    expect(byId.get('zero-grad-conv1')!.section).toBe('dead');
    expect(byId.get('grad-norm-conv1')!.series[0]!.data.at(-1)).toBeCloseTo(2.5, 10);
    const modes = byId.get('bn-modes')!;
    expect(modes.series.map((s) => s.label)).toEqual([
      'tanh-bn moving stats',
      'tanh-bn batch stats',
    ]);
    expect(modes.series[1]!.data.at(-1)).toBeCloseTo(0.81, 10);
    const ensemble = byId.get('ensemble-tanh-bn')!;
    expect(ensemble.labels).toEqual(['1', '2', '4']);
    expect(ensemble.series[0]!.data[2]).toBeCloseTo(0.885, 10);
    expect(ensemble.series[1]!.data).toEqual([0.9, 0.9, 0.9]);
    expect(byId.has('ensemble-tanh-no-bn')).toBe(false);
  });

  it('draws none of them for older logs without the probes', () => {
    const data = buildReportData();
    const sections = new Set(reportCharts(data, analyzeReport(data)).map((c) => c.section));
    for (const section of ['linear', 'bn-params', 'bn-modes', 'ensemble'])
      expect(sections).not.toContain(section);
    expect(reportCharts(data, analyzeReport(data)).some((c) => c.id.startsWith('zero-grad'))).toBe(
      false,
    );
  });
});
