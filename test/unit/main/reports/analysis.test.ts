import { describe, expect, it } from 'vitest';
import { VariantSpec } from '../../../../main/api/config.js';
import { analyzeReport } from '../../../../main/reports/analysis.js';
import { planBaselines } from '../../../../main/reports/baseline.js';
import { buildReportData } from './fixtures.js';

// Hand-made validation accuracies: [variant][seed][epoch - 1].
const ACCURACY: Record<string, number[][]> = {
  'no-bn': [
    [0.5, 0.6, 0.7],
    [0.55, 0.65, 0.62],
  ],
  'bn-before': [
    [0.6, 0.7, 0.8],
    [0.68, 0.66, 0.9],
  ],
};

function handMade() {
  return buildReportData({
    epochs: 3,
    valAccuracy: (variant, seed, epoch) => ACCURACY[variant.name]![seed]![epoch - 1]!,
  });
}

describe('analyzeReport', () => {
  it('gives best validation accuracy and epochs to best as mean ± sample std over seeds', () => {
    const [noBn, bn] = analyzeReport(handMade()).variants;
    expect(noBn!.bestValAccuracy!.mean).toBeCloseTo(0.675, 10);
    expect(noBn!.bestValAccuracy!.std).toBeCloseTo(Math.sqrt(2 * 0.025 ** 2), 10);
    expect(noBn!.bestValAccuracy!.n).toBe(2);
    expect(noBn!.epochsToBest).toMatchObject({ mean: 2.5, n: 2 });
    expect(noBn!.epochsToBest!.std).toBeCloseTo(Math.SQRT1_2, 10);
    expect(bn!.bestValAccuracy!.mean).toBeCloseTo(0.85, 10);
    expect(bn!.bestValAccuracy!.std).toBeCloseTo(Math.sqrt(2 * 0.05 ** 2), 10);
  });

  it("compares each seed with the same seed's baseline, never the baseline with itself", () => {
    const [noBn, bn] = analyzeReport(handMade()).variants;
    expect(bn!.baseline).toBe('no-bn');
    // Seed 0: no-bn's best 0.7 at epoch 3, bn-before reaches it at 2; seed 1: 0.65 at 2 vs 1.
    expect(bn!.paired!.speed.perSeed).toEqual([
      { seed: 1, baselineBest: 0.7, baselineEpoch: 3, variantEpoch: 2 },
      { seed: 2, baselineBest: 0.65, baselineEpoch: 2, variantEpoch: 1 },
    ]);
    expect(bn!.paired!.speed).toMatchObject({ sooner: 2, same: 0, later: 0, never: 0 });
    expect(bn!.paired!.bestAccuracy.summary!.mean).toBeCloseTo((0.1 + 0.25) / 2, 10);
    expect(noBn!.baseline).toBeNull();
    expect(noBn!.paired).toBeNull();
  });

  it('reports the final train/validation gap, dead fractions at the last probe and the differing config', () => {
    const analysis = analyzeReport(handMade());
    const noBn = analysis.variants[0]!;
    expect(noBn.finalGap!.accuracy.mean).toBeCloseTo(0.03, 10);
    const expectedLossGap =
      2.3 * Math.exp(-0.45 * 3) + 0.08 + 0.005 - (2.3 * Math.exp(-1.5) + 0.05);
    expect(noBn.finalGap!.loss.mean).toBeCloseTo(expectedLossGap, 10);
    const conv1 = noBn.layersAtEnd.find((l) => l.layer === 'conv1')!;
    expect(conv1).toMatchObject({ epoch: 3, saturatedFraction: null });
    expect(conv1.deadFraction!.mean).toBeCloseTo(5 / 32, 10);
    expect(analysis.configDifferences.differing).toEqual(['bn']);
    expect(analysis.configDifferences.rows).toEqual([
      { variant: 'no-bn', values: { bn: 'none' } },
      { variant: 'bn-before', values: { bn: 'before-activation' } },
    ]);
    expect(analysis.configDifferences.shared).toContainEqual({
      field: 'architecture',
      value: 'simple-cnn',
    });
  });

  it('averages curves per epoch over the seeds that reached it', () => {
    const data = buildReportData({
      epochs: 3,
      valAccuracy: (variant, seed, epoch) => ACCURACY[variant.name]![seed]![epoch - 1]!,
      progress: (variant, seed) =>
        variant.name === 'bn-before' && seed === 1
          ? { status: 'running', epochsDone: 1 }
          : { status: 'completed', epochsDone: 3 },
    });
    const analysis = analyzeReport(data);
    const bn = analysis.variants[1]!;
    expect(bn.curves.valAccuracy.map((p) => [p.epoch, p.n])).toEqual([
      [1, 2],
      [2, 1],
      [3, 1],
    ]);
    expect(bn.curves.valAccuracy[0]!.mean).toBeCloseTo(0.64, 10);
    expect(analysis.complete).toBe(false);
    expect(analysis.incompleteReasons).toEqual(['1 run is running']);
  });

  it('is complete when every run has finished, and incomplete when a run has no data yet', () => {
    expect(analyzeReport(handMade()).complete).toBe(true);
    const data = handMade();
    data.runs.pop();
    const analysis = analyzeReport(data);
    expect(analysis.complete).toBe(false);
    expect(analysis.incompleteReasons).toEqual(['1 of 4 runs have no data yet']);
  });

  it('reports saturation, not dead units, for tanh layers', () => {
    const data = buildReportData({
      variants: [
        { name: 'tanh', activation: 'tanh' },
        { name: 'tanh-bn', activation: 'tanh', bn: 'after-activation' },
      ],
    });
    const layer = analyzeReport(data).variants[0]!.layersAtEnd[0]!;
    expect(layer.deadFraction).toBeNull();
    expect(layer.saturatedFraction!.mean).toBeGreaterThan(0.5);
  });
});

describe('planBaselines', () => {
  const variants = (...inputs: Parameters<typeof VariantSpec.parse>[0][]) =>
    inputs.map((v) => VariantSpec.parse(v));

  it('matches each BN variant with the no-BN variant of the same activation', () => {
    const plan = planBaselines(
      variants(
        { name: 'relu', activation: 'relu' },
        { name: 'tanh', activation: 'tanh' },
        { name: 'relu-bn', activation: 'relu', bn: 'before-activation' },
        { name: 'tanh-bn', activation: 'tanh', bn: 'before-activation' },
      ),
    );
    expect(plan.kind).toBe('bn');
    expect(plan.baselineOf.get('tanh-bn')).toBe('tanh');
    expect(plan.baselineOf.get('relu-bn')).toBe('relu');
  });

  it('uses the dropout-0 variant in a dropout experiment and none when nothing is ablated', () => {
    const dropout = planBaselines(variants({ name: 'd50', dropout: 0.5 }, { name: 'd0' }));
    expect(dropout.kind).toBe('dropout');
    expect(dropout.baselineOf.get('d50')).toBe('d0');
    const none = planBaselines(
      variants({ name: 'narrow', width: 0.5 }, { name: 'wide', width: 2 }),
    );
    expect(none.kind).toBe('none');
    expect(none.baselineOf.size).toBe(0);
  });
});
