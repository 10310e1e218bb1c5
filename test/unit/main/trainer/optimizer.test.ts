import { describe, expect, it } from 'vitest';
import { TrainingSpec } from '../../../../main/api/config.js';
import { learningRateAt } from '../../../../main/trainer/optimizer.js';

describe('learning-rate schedules (per epoch, 1-based)', () => {
  it('constant keeps the rate', () => {
    const t = TrainingSpec.parse({ learningRate: 0.1 });
    expect([1, 2, 50].map((e) => learningRateAt(t, e))).toEqual([0.1, 0.1, 0.1]);
  });

  it('step multiplies by gamma every stepEpochs epochs', () => {
    const t = TrainingSpec.parse({
      learningRate: 0.1,
      schedule: 'step',
      stepEpochs: 2,
      stepGamma: 0.5,
    });
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(t, e))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('step with milestones decays after each listed epoch (the ResNet-20 recipe)', () => {
    const t = TrainingSpec.parse({
      learningRate: 0.1,
      schedule: 'step',
      stepMilestones: [82, 123],
      stepGamma: 0.1,
    });
    const rates = [1, 82, 83, 123, 124, 164].map((e) => learningRateAt(t, e));
    [0.1, 0.1, 0.01, 0.01, 0.001, 0.001].forEach((r, i) => expect(rates[i]).toBeCloseTo(r, 10));
  });

  it('cosine starts at the rate and decays towards 0 over the run', () => {
    const t = TrainingSpec.parse({ learningRate: 0.2, schedule: 'cosine', epochs: 4 });
    const rates = [1, 2, 3, 4].map((e) => learningRateAt(t, e));
    expect(rates[0]).toBeCloseTo(0.2);
    expect(rates[2]).toBeCloseTo(0.1);
    expect(rates[3]).toBeGreaterThan(0);
    expect([...rates].sort((a, b) => b - a)).toEqual(rates);
  });
});
