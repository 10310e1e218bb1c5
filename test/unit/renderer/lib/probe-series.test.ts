import { describe, expect, test } from 'vitest';
import { SYMLOG_BIN_COUNT, type EventOf, type LayerProbe } from '../../../../main/api/index.js';
import { curveDatasets } from '../../../../renderer/lib/chart-datasets.js';
import {
  layerHealth,
  layerHistograms,
  layerNames,
  probeEpochs,
} from '../../../../renderer/lib/probe-series.js';

const hist = (total: number) => ({
  scheme: 'symlog-v1' as const,
  counts: new Array<number>(SYMLOG_BIN_COUNT).fill(0).map((_, i) => (i === 200 ? total : 0)),
  underflow: 0,
  overflow: 0,
  zeros: 0,
  total,
});
const stats = { mean: 0, std: 1, min: -1, max: 1 };
const layer = (name: string, dead: number | null, saturated: number | null = null): LayerProbe => ({
  layer: name,
  type: 'conv',
  activation: dead === null ? 'tanh' : 'relu',
  units: 8,
  pre: hist(10),
  post: hist(10),
  preStats: stats,
  postStats: stats,
  deadUnits: dead === null ? null : Math.round(dead * 8),
  deadFraction: dead,
  saturatedFraction: saturated,
});
const probe = (epoch: number, layers: LayerProbe[]): EventOf<'probe'> => ({
  kind: 'probe',
  time: epoch,
  epoch,
  step: epoch,
  epochEnd: true,
  layers,
});

describe('probe series', () => {
  const relu = {
    variant: 'relu',
    probesPerRun: [
      [
        probe(1, [layer('conv1', 0.25), layer('dense1', 0)]),
        probe(2, [layer('conv1', 0.5), layer('dense1', 0)]),
      ],
    ],
  };
  const tanh = { variant: 'tanh', probesPerRun: [[probe(1, [layer('conv1', null, 0.1)])]] };

  test('layers in model order and epochs across variants', () => {
    expect(layerNames([relu, tanh])).toEqual(['conv1', 'dense1']);
    expect(probeEpochs([relu, tanh])).toEqual([1, 2]);
  });

  test('a variant stopped before the chosen epoch shows its last histogram and says which epoch', () => {
    expect(layerHistograms(relu, 'conv1', 2)?.epoch).toBe(2);
    const stopped = layerHistograms(tanh, 'conv1', 2);
    expect(stopped?.epoch).toBe(1);
    expect(stopped?.activation).toBe('tanh');
    expect(layerHistograms(tanh, 'dense1', 2)).toBeNull();
  });

  test('seeds are pooled: histogram counts add up', () => {
    const twoSeeds = {
      variant: 'x',
      probesPerRun: [[probe(1, [layer('conv1', 0)])], [probe(1, [layer('conv1', 0)])]],
    };
    expect(layerHistograms(twoSeeds, 'conv1', 1)?.pre.total).toBe(20);
  });

  test('dead fraction for ReLU, saturation for tanh, per epoch', () => {
    const series = layerHealth([relu, tanh], 'conv1');
    expect(series.map((s) => [s.variant, s.measure, s.points.map((p) => p.value)])).toEqual([
      ['relu', 'dead', [0.25, 0.5]],
      ['tanh', 'saturated', [0.1]],
    ]);
  });
});

describe('curve datasets', () => {
  test('train solid, validation dashed, same colour per variant; bands only with several seeds', () => {
    const one = curveDatasets([
      {
        variant: 'a',
        index: 0,
        train: [{ epoch: 1, mean: 1, std: null, min: null, max: null }],
        val: [{ epoch: 1, mean: 2, std: null, min: null, max: null }],
      },
    ]);
    expect(one.map((d) => [d.label, d.borderDash])).toEqual([
      ['a train', []],
      ['a validation', [6, 4]],
    ]);
    expect(one[0]?.borderColor).toBe(one[1]?.borderColor);
    const banded = curveDatasets([
      {
        variant: 'a',
        index: 0,
        train: [{ epoch: 1, mean: 1, std: 0.5, min: 0.4, max: 1.6 }],
        val: [],
      },
    ]);
    expect(banded.slice(0, 3).map((d) => d.data[0]?.y)).toEqual([0.5, 1.5, 1]);
    // A series without points (no validation yet) draws nothing.
    expect(banded).toHaveLength(3);
    expect(banded[1]?.fill).toBe('-1');
  });
});
