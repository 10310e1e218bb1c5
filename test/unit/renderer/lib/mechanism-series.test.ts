import { describe, expect, test } from 'vitest';
import { SYMLOG_BIN_COUNT, type EventOf, type LayerProbe } from '../../../../main/api/index.js';
import { ensembleDatasets, measureDatasets } from '../../../../renderer/lib/mechanism-datasets.js';
import {
  ensembleSeries,
  layerMeasure,
  probeMeasure,
} from '../../../../renderer/lib/mechanism-series.js';

const hist = {
  scheme: 'symlog-v1' as const,
  counts: new Array<number>(SYMLOG_BIN_COUNT).fill(0),
  underflow: 0,
  overflow: 0,
  zeros: 0,
  total: 0,
};
const stats = (mean: number, std: number) => ({ mean, std, min: mean - std, max: mean + std });
const layer = (extra: Partial<LayerProbe>): LayerProbe => ({
  layer: 'conv1',
  type: 'conv',
  activation: 'tanh',
  units: 8,
  pre: hist,
  post: hist,
  preStats: stats(0, 1),
  postStats: stats(0, 1),
  deadUnits: null,
  deadFraction: null,
  saturatedFraction: 0.1,
  ...extra,
});
const probe = (
  epoch: number,
  l: Partial<LayerProbe>,
  extra: Partial<EventOf<'probe'>> = {},
): EventOf<'probe'> => ({
  kind: 'probe',
  time: epoch,
  epoch,
  step: epoch,
  epochEnd: true,
  layers: [layer(l)],
  ...extra,
});

describe('mechanism series for the experiment view', () => {
  test('pools a per-layer measure over seeds and leaves out variants without it (old logs)', () => {
    const series = layerMeasure(
      [
        { variant: 'old', probesPerRun: [[probe(1, {})]] },
        {
          variant: 'bn',
          probesPerRun: [
            [probe(1, { bnGamma: stats(1.2, 0.2) }), probe(2, { bnGamma: stats(1.4, 0.2) })],
            [probe(1, { bnGamma: stats(1.0, 0.4) })],
          ],
        },
      ],
      'conv1',
      (l) => l.bnGamma?.mean,
      (l) => l.bnGamma?.std,
    );
    expect(series).toHaveLength(1);
    expect(series[0]!.variant).toBe('bn');
    expect(series[0]!.index).toBe(1);
    expect(series[0]!.points[0]!.x).toBe(1);
    expect(series[0]!.points[0]!.mean).toBeCloseTo(1.1, 10);
    expect(series[0]!.points[0]!.spread).toBeCloseTo(0.3, 10);
    expect(series[0]!.points[1]).toMatchObject({ x: 2, mean: 1.4 });
    // The band spans mean ± spread.
    const [lower, upper, mean] = measureDatasets(series, {
      suffix: ' γ',
      dashed: false,
      percent: false,
      band: true,
    });
    expect(mean!.label).toBe('bn γ');
    expect(lower!.data[0]!.y).toBeCloseTo(0.8, 10);
    expect(upper!.data[0]!.y).toBeCloseTo(1.4, 10);
  });

  test('BN modes per epoch, in percent, and nothing for a variant without BN', () => {
    const moving = probeMeasure(
      [
        { variant: 'no-bn', probesPerRun: [[probe(1, {}, { bnModes: null })]] },
        {
          variant: 'bn',
          probesPerRun: [
            [probe(1, {}, { bnModes: { movingStatsAccuracy: 0.9, batchStatsAccuracy: 0.7 } })],
          ],
        },
      ],
      (p) => p.bnModes?.batchStatsAccuracy,
    );
    const [line] = measureDatasets(moving, {
      suffix: ' batch stats',
      dashed: true,
      percent: true,
      band: false,
    });
    expect(line).toMatchObject({ label: 'bn batch stats', borderDash: [6, 4] });
    expect(line!.data[0]!.y).toBeCloseTo(70, 10);
  });

  test('MC dropout against k at the latest probe, on a log₂ axis, with the weight-scaled line', () => {
    const ensemble = (acc: number[]) => ({
      dropoutEnsemble: { weightScaledAccuracy: 0.9, samples: [1, 2, 4], thinnedAccuracy: acc },
    });
    const [series] = ensembleSeries([
      {
        variant: 'dropout-0.5',
        probesPerRun: [
          [probe(1, {}, ensemble([0.5, 0.5, 0.5])), probe(2, {}, ensemble([0.8, 0.85, 0.88]))],
          [probe(2, {}, ensemble([0.82, 0.87, 0.9]))],
        ],
      },
    ]);
    expect(series!.epoch).toBe(2);
    expect(series!.points.map((p) => p.x)).toEqual([1, 2, 4]);
    expect(series!.points[2]!.mean).toBeCloseTo(0.89, 10);
    const [mc, reference] = ensembleDatasets(series!);
    expect(mc!.data.map((p) => p.x)).toEqual([0, 1, 2]);
    expect(reference!.data).toEqual([
      { x: 0, y: 90 },
      { x: 2, y: 90 },
    ]);
  });
});
