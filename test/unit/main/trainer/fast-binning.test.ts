import { describe, expect, it } from 'vitest';
import { SYMLOG_BIN_COUNT, symlogBin, symlogEdges } from '../../../../main/api/histogram.js';
import { binValues } from '../../../../main/trainer/fast-binning.js';

/** symlogBin applied value by value: the definition the table must reproduce exactly. */
function reference(values: Float32Array): number[] {
  const counts = new Array<number>(SYMLOG_BIN_COUNT + 2).fill(0);
  for (const v of values) if (!Number.isNaN(v)) counts[symlogBin(v) + 1]!++;
  return counts;
}

describe('table binning', () => {
  it('gives exactly symlogBin for random values over the whole range, bin edges and oddities', () => {
    const values: number[] = [
      0,
      -0,
      1e-45,
      -1e-45,
      Infinity,
      -Infinity,
      NaN,
      1e4,
      -1e4,
      9999.999,
      1e-4,
      -1e-4,
    ];
    // Every edge and the float32 neighbours on either side of it.
    for (const edge of symlogEdges()) {
      const f = Math.fround(edge);
      values.push(f, f * (1 + 2 ** -23), f * (1 - 2 ** -23));
    }
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 200_000; i++)
      values.push((random() < 0.5 ? -1 : 1) * 10 ** (random() * 12 - 6));
    const array = Float32Array.from(values);
    const { counts, zeros, skipped, nonPositive } = binValues(array);
    expect(Array.from(counts)).toEqual(reference(array));
    expect(zeros).toBe(2);
    expect(skipped).toBe(1);
    expect(nonPositive).toBe(array.filter((v) => v <= 0).length);
  });

  it('bins transformed values as symlogBin bins the transformed float32', () => {
    const array = Float32Array.from({ length: 5000 }, (_, i) => (i - 2500) / 100);
    const { counts } = binValues(array, Math.tanh);
    expect(Array.from(counts)).toEqual(reference(array.map(Math.tanh)));
  });
});
