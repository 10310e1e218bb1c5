import { describe, expect, it } from 'vitest';
import { analyzeReport } from '../../../../main/reports/analysis.js';
import { buildReportData } from './fixtures.js';

/** Hand-made validation accuracies: [variant][seed][epoch - 1]; three seeds, three epochs. */
function experiment(accuracy: Record<string, number[][]>) {
  return buildReportData({
    seeds: 3,
    epochs: 3,
    valAccuracy: (variant, seed, epoch) => accuracy[variant.name]![seed]![epoch - 1]!,
  });
}

describe('paired per-seed analysis', () => {
  it('leaves a seed stuck at chance out of the means and the pairs, and says so', () => {
    const analysis = analyzeReport(
      experiment({
        'no-bn': [
          [0.5, 0.8, 0.9],
          [0.11, 0.1, 0.11], // stuck at chance
          [0.6, 0.85, 0.88],
        ],
        'bn-before': [
          [0.9, 0.95, 0.96],
          [0.9, 0.94, 0.97],
          [0.92, 0.95, 0.96],
        ],
      }),
    );
    const [noBn, bn] = analysis.variants;
    expect(noBn!.seedText).toBe('2 of 3 seeds; 1 did not learn');
    expect(noBn!.learning.map((v) => v?.learned)).toEqual([true, false, true]);
    // The mean is over the two seeds that learned: (0.9 + 0.88) / 2, not dragged to 63 %.
    expect(noBn!.bestValAccuracy!.mean).toBeCloseTo(0.89, 10);
    expect(noBn!.bestValAccuracy!.n).toBe(2);
    expect(noBn!.curves.valAccuracy.at(-1)!.n).toBe(2);
    expect(bn!.paired!.seeds).toEqual([1, 3]);
    expect(bn!.paired!.excluded).toEqual([{ seed: 2, reason: 'no-bn did not learn' }]);
    expect(bn!.paired!.sentences).toContain(
      "bn-before reached no-bn's best validation accuracy in 1 epoch instead of 3, in 2 of 2 seeds.",
    );
    expect(bn!.paired!.sentences.at(-1)).toBe('Left out: seed 2 (no-bn did not learn).');
    expect(analysis.notes.join('\n')).toMatch(
      /no-bn seed 2 did not learn: validation accuracy 11\.0 %/,
    );
  });

  it('counts a variant that never reaches its seed’s baseline best as never, not as a mean epoch', () => {
    const analysis = analyzeReport(
      experiment({
        'no-bn': [
          [0.8, 0.9, 0.92],
          [0.8, 0.9, 0.91],
          [0.8, 0.85, 0.9],
        ],
        'bn-before': [
          [0.85, 0.9, 0.91], // never reaches 0.92
          [0.92, 0.93, 0.93],
          [0.9, 0.9, 0.95],
        ],
      }),
    );
    const paired = analysis.variants[1]!.paired!;
    expect(paired.speed.perSeed.map((p) => p.variantEpoch)).toEqual([null, 1, 1]);
    expect(paired.speed).toMatchObject({ sooner: 2, never: 1 });
    expect(paired.sentences[0]).toBe(
      "bn-before reached no-bn's best validation accuracy sooner in 2 of 3 seeds, never in 1 (1 epoch against 3 when reached).",
    );
    // Differences 0.91−0.92, 0.93−0.91, 0.95−0.9: the seeds disagree, so the median is given.
    const diff = paired.bestAccuracy;
    expect([diff.higher, diff.lower, diff.tied]).toEqual([2, 1, 0]);
    expect(diff.medianWhereDisagree).toBeCloseTo(0.02, 10);
    expect(paired.sentences[1]).toMatch(
      /^bn-before's best validation accuracy differed from no-bn's by \+2\.0 ± 3\.\d points \(higher in 2, lower in 1 of 3 seeds\); the seeds disagree, median \+2\.0 points\.$/,
    );
  });

  it('treats equal best accuracies as ties and reaching in the same epoch as not sooner', () => {
    const same = [
      [0.7, 0.8, 0.9],
      [0.7, 0.85, 0.9],
      [0.75, 0.8, 0.9],
    ];
    const analysis = analyzeReport(experiment({ 'no-bn': same, 'bn-before': same }));
    const paired = analysis.variants[1]!.paired!;
    expect(paired.speed).toMatchObject({ sooner: 0, same: 3, later: 0, never: 0 });
    expect(paired.bestAccuracy).toMatchObject({ higher: 0, lower: 0, tied: 3 });
    expect(paired.bestAccuracy.medianWhereDisagree).toBeNull();
    expect(paired.sentences[1]).toBe(
      "bn-before's best validation accuracy equalled no-bn's (within 0.05 points) in 3 of 3 seeds.",
    );
  });

  it('says when train numbers are running means from an older log', () => {
    const data = buildReportData({ trainEvalImages: null });
    const analysis = analyzeReport(data);
    expect(analysis.trainMode).toBe('running');
    expect(analysis.variants[1]!.paired!.sentences[2]).toMatch(/training-mode running mean/);
    expect(analyzeReport(buildReportData()).trainCaveat).toBe('');
  });
});
