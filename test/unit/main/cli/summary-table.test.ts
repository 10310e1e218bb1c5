import { describe, expect, it } from 'vitest';
import { comparisonTable } from '../../../../main/cli/summary-table.js';
import { buildReportData } from '../reports/fixtures.js';

describe('the bnlab run comparison table', () => {
  it('flags a seed that did not learn, counts it apart and prints the paired conclusions', () => {
    const text = comparisonTable(
      buildReportData({
        seeds: 3,
        epochs: 3,
        valAccuracy: (variant, seed, epoch) =>
          variant.bn === 'none'
            ? seed === 1
              ? 0.1
              : [0.6, 0.8, 0.9][epoch - 1]!
            : [0.9, 0.95, 0.96][epoch - 1]!,
      }),
    );
    const noBnRow = text.split('\n').find((line) => line.startsWith('│ no-bn '))!;
    expect(noBnRow).toContain('1 DID NOT LEARN');
    expect(noBnRow).toContain('2 of 3 seeds; 1');
    expect(noBnRow).toContain('90.0 ± 0.0%');
    const bnRow = text.split('\n').find((line) => line.startsWith('│ bn-before '))!;
    expect(bnRow).toContain('1 vs 3 (2/2');
    expect(bnRow).toContain('+6.0 ± 0.0 (2/2');
    expect(text).toContain(
      "  - bn-before reached no-bn's best validation accuracy in 1 epoch instead of 3, in 2 of 2 seeds.",
    );
    expect(text).toMatch(/note: no-bn seed 2 did not learn/);
  });
});
