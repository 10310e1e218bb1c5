import { describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import { PRESET_IDS, presetSpec } from '../../../../main/lab/presets.js';
import { configDifferences } from '../../../../main/reports/config-diff.js';

describe('presets', () => {
  it('bn-learning-rate compares no BN with BN before ReLU at three learning rates', () => {
    const spec = presetSpec('bn-learning-rate', { scale: 'quick', seeds: 3 });
    expect(spec.variants.map((v) => [v.name, v.bn, v.learningRate])).toEqual([
      ['no-bn-lr0.01', 'none', 0.01],
      ['bn-lr0.01', 'before-activation', 0.01],
      ['no-bn-lr0.05', 'none', 0.05],
      ['bn-lr0.05', 'before-activation', 0.05],
      ['no-bn-lr0.1', 'none', 0.1],
      ['bn-lr0.1', 'before-activation', 0.1],
    ]);
    // The report's config differences show the rate next to BN.
    expect(configDifferences(spec.variants).differing).toEqual(['bn', 'learningRate']);
  });

  it('train a preset on fewer images when asked (a tiny try-out), the rest of the recipe kept', () => {
    const quick = presetSpec('bn-simple', { scale: 'quick' }).training;
    const tiny = presetSpec('bn-simple', {
      scale: 'quick',
      epochs: 1,
      trainSubset: 32,
      validationSubset: 16,
    }).training;
    expect(quick).toMatchObject({ trainSubset: 4000, validationSubset: 1000 });
    expect(tiny).toEqual({ ...quick, epochs: 1, trainSubset: 32, validationSubset: 16 });
  });

  it('train the quick ReLU CNN presets at lr 0.01', () => {
    for (const id of ['bn-simple', 'bn-deeper', 'dropout-simple', 'dropout-deeper']) {
      expect(presetSpec(id, { scale: 'quick' }).training.learningRate).toBe(0.01);
    }
    expect(PRESET_IDS).toContain('bn-learning-rate');
  });

  it('refuses a variant learning rate that is not positive, and leaves it out of the differences when no variant sets one', () => {
    const base = { name: 'e', variants: [{ name: 'a' }, { name: 'b', bn: 'before-activation' }] };
    expect(
      ExperimentSpec.safeParse({ ...base, variants: [{ name: 'a', learningRate: 0 }] }).success,
    ).toBe(false);
    const spec = ExperimentSpec.parse(base);
    const diff = configDifferences(spec.variants);
    expect(diff.differing).toEqual(['bn']);
    expect(diff.shared.map((s) => s.field)).not.toContain('learningRate');
    const mixed = ExperimentSpec.parse({
      ...base,
      variants: [{ name: 'a' }, { name: 'b', learningRate: 0.1 }],
    });
    expect(configDifferences(mixed.variants).rows).toEqual([
      { variant: 'a', values: { learningRate: 'experiment rate' } },
      { variant: 'b', values: { learningRate: 0.1 } },
    ]);
  });
});
