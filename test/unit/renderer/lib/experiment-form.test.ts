import { describe, expect, test } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/index.js';
import { listPresets, presetSpec } from '../../../../main/lab/presets.js';
import {
  customFormFromSpec,
  customSpec,
  defaultCustomForm,
  newVariant,
  toFieldErrors,
  validateCustom,
  validatePreset,
} from '../../../../renderer/lib/experiment-form.js';

describe('custom experiment form', () => {
  test('the default form is a valid experiment', () => {
    expect(validateCustom(defaultCustomForm())).toEqual({});
    expect(ExperimentSpec.parse(customSpec(defaultCustomForm())).variants).toHaveLength(2);
  });

  test('each bad value is reported under its own field path', () => {
    const form = defaultCustomForm();
    form.epochs = 0;
    form.learningRate = null;
    const second = form.variants[1]!;
    second.dropout = 1.5;
    second.name = 'Bad Name';
    const errors = validateCustom(form);
    expect(Object.keys(errors).sort()).toEqual([
      'training.epochs',
      'training.learningRate',
      'variants.1.dropout',
      'variants.1.name',
    ]);
    expect(errors['training.learningRate']).toBe('enter a number');
    expect(errors['variants.1.name']).toContain('lower-case');
  });

  test('two variants with one name are refused on the second', () => {
    const form = defaultCustomForm();
    form.variants[1]!.name = form.variants[0]!.name;
    expect(validateCustom(form)['variants.1.name']).toContain('used twice');
  });

  test('an empty train subset means "all" rather than an error', () => {
    const form = defaultCustomForm();
    form.trainSubset = null;
    expect(validateCustom(form)).toEqual({});
  });

  test('new variants get names that do not clash', () => {
    const form = defaultCustomForm();
    form.variants.push(newVariant(form.variants));
    form.variants.push(newVariant(form.variants));
    expect(new Set(form.variants.map((v) => v.name)).size).toBe(4);
  });

  test("the lab's issues about `spec.…` land on the form's fields", () => {
    expect(toFieldErrors([{ path: 'spec.training.epochs', message: 'too big' }])).toEqual({
      'training.epochs': 'too big',
    });
  });
});

describe('preset form', () => {
  test('epochs and seeds are checked against the contract; empty means the preset default', () => {
    const form = {
      preset: 'bn-simple',
      scale: 'quick' as const,
      dataset: 'mnist' as const,
      epochs: null,
      seeds: null,
    };
    expect(validatePreset(form, 'auto')).toEqual({});
    expect(Object.keys(validatePreset({ ...form, epochs: 0, seeds: 50 }, 'auto')).sort()).toEqual([
      'epochs',
      'seeds',
    ]);
  });
});

describe('custom form filled from a preset', () => {
  test.each(listPresets().flatMap((p) => (['quick', 'full'] as const).map((s) => [p.id, s])))(
    '%s at %s scale: unedited, it creates exactly the preset’s experiment',
    (id, scale) => {
      const preset = listPresets().find((p) => p.id === id)!;
      const spec = preset[scale as 'quick' | 'full'].spec;
      expect(spec).toEqual(presetSpec(id, { scale: scale as 'quick' | 'full' }));
      const form = customFormFromSpec(spec);
      expect(validateCustom(form)).toEqual({});
      const { description: _description, ...rest } = spec;
      expect(ExperimentSpec.parse(customSpec(form))).toEqual({ ...rest, name: `${id}-custom` });
    },
  );

  test('the quick simple-CNN preset’s numbers are what the form shows', () => {
    const form = customFormFromSpec(presetSpec('bn-simple', { scale: 'quick' }));
    expect(form.variants.map((v) => [v.name, v.width])).toEqual([
      ['no-bn', 0.25],
      ['bn-before', 0.25],
      ['bn-after', 0.25],
    ]);
    expect([form.epochs, form.batchSize, form.learningRate, form.trainSubset]).toEqual([
      3, 64, 0.01, 4000,
    ]);
  });
});
