import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../../../main/reports/analysis.js';
import { buildReportData } from './fixtures.js';

const verdicts = (claims: ReturnType<typeof analyzeReport>['claims']) =>
  claims.map((c) => `${c.claim.id} | ${c.comparison} | ${c.verdict}`);

describe('claims of the seed presentation', () => {
  it('supports "BN speeds up training" and contradicts "the neuron will never die" when the data says so', () => {
    const data = buildReportData({
      seeds: 3,
      epochs: 3,
      variants: [
        { name: 'no-bn' },
        { name: 'bn-before', bn: 'before-activation' },
        { name: 'bn-after', bn: 'after-activation' },
      ],
      valAccuracy: (variant, seed, epoch) =>
        ({
          none: [0.6, 0.8, 0.9],
          'before-activation': [0.92, 0.95, 0.96],
          'after-activation': [0.91, 0.93, 0.94],
        })[variant.bn][epoch - 1]! -
        0.001 * seed,
    });
    const { claims } = analyzeReport(data);
    expect(verdicts(claims)).toEqual(
      expect.arrayContaining([
        'bn-speed | bn-before vs no-bn | supports',
        'bn-speed | bn-after vs no-bn | supports',
        'bn-before | bn-before vs bn-after | supports',
        // The fixture's BN layers keep a few dead units (1 % per epoch): the slide's "never" fails.
        'bn-never-die | bn-before vs no-bn | contradicts',
        'bn-identity | bn-before, bn-after | cannot say',
      ]),
    );
    const speed = claims.find((c) => c.claim.id === 'bn-speed')!;
    expect(speed.measured).toBe(
      "bn-before reached no-bn's best validation accuracy in 1 epoch instead of 3, in 3 of 3 seeds.",
    );
    expect(speed.why).toBe('3 of 3 seeds');
    // No dropout variants: no dropout claims.
    expect(claims.some((c) => c.claim.id.startsWith('dropout'))).toBe(false);
  });

  it('cannot say when runs that did not learn leave too few seeds', () => {
    const data = buildReportData({
      seeds: 2,
      epochs: 3,
      valAccuracy: (variant, seed, epoch) =>
        variant.bn === 'none' && seed === 1
          ? 0.1
          : [0.6, 0.8, 0.9][epoch - 1]! + (variant.bn === 'none' ? 0 : 0.05),
    });
    const speed = analyzeReport(data).claims.find((c) => c.claim.id === 'bn-speed')!;
    expect(speed.verdict).toBe('cannot say');
    expect(speed.why).toMatch(/only 1 seed could be compared \(1 left out/);
  });

  it('contradicts "dropout improves validation accuracy" and checks the ensemble against weight scaling', () => {
    const data = buildReportData({
      seeds: 2,
      epochs: 2,
      variants: [
        { name: 'dropout-0', dropout: 0 },
        { name: 'dropout-0.5', dropout: 0.5 },
      ],
      valAccuracy: (variant, seed, epoch) =>
        (variant.dropout > 0 ? 0.8 : 0.9) + 0.02 * epoch - 0.01 * seed,
      probeExtras: (variant) =>
        variant.dropout > 0
          ? {
              dropoutEnsemble: {
                weightScaledAccuracy: 0.9,
                samples: [1, 2, 4, 64],
                thinnedAccuracy: [0.8, 0.85, 0.88, 0.895],
              },
            }
          : { dropoutEnsemble: null },
    });
    const { claims } = analyzeReport(data);
    expect(verdicts(claims)).toEqual(
      expect.arrayContaining([
        'dropout-validation | dropout-0.5 vs dropout-0 | contradicts',
        'dropout-ensemble | dropout-0.5 | supports',
      ]),
    );
    expect(claims.find((c) => c.claim.id === 'dropout-ensemble')!.measured).toMatch(
      /average of 64 thinned networks scored 89\.5 %, the weight-scaled network 90\.0 % and one thinned network 80\.0 %/,
    );
  });

  it('pairs each learning rate with its own baseline and supports "no tuning" when every BN run learns', () => {
    const data = buildReportData({
      name: 'bn-learning-rate',
      seeds: 2,
      epochs: 2,
      variants: [
        { name: 'no-bn-lr0.01' },
        { name: 'bn-lr0.01', bn: 'before-activation' },
        { name: 'no-bn-lr0.1' },
        { name: 'bn-lr0.1', bn: 'before-activation' },
      ],
      valAccuracy: (variant, _seed, epoch) =>
        variant.name === 'no-bn-lr0.1' ? 0.1 : 0.8 + 0.05 * epoch,
    });
    const analysis = analyzeReport(data);
    expect(analysis.variants.map((v) => v.baseline)).toEqual([
      null,
      'no-bn-lr0.01',
      null,
      'no-bn-lr0.1',
    ]);
    const noTuning = analysis.claims.find((c) => c.claim.id === 'bn-no-tuning')!;
    expect(noTuning.verdict).toBe('supports');
    expect(noTuning.measured).toBe(
      'Across learning rates 0.01, 0.1: with BN 4 of 4 runs learned; without BN 2 of 4 (did not learn at lr 0.1).',
    );
  });
});
