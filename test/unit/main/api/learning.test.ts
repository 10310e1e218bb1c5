import { describe, expect, it } from 'vitest';
import { judgeLearning, seedCountText } from '../../../../main/api/learning.js';

const run = (valAccuracy: number | null, valLoss: number | null, status = 'completed' as const) =>
  judgeLearning({ status, valAccuracy, valLoss, classes: 10 });

describe('the not-learned rule', () => {
  it('flags a run within 5 points of chance after its last epoch', () => {
    expect(run(0.113, 2.301)?.learned).toBe(false);
    expect(run(0.149, 1.9)?.reasons).toEqual(['chance']);
    expect(run(0.151, 1.9)?.learned).toBe(true);
  });

  it('flags a run whose validation loss is not below a uniform guess (ln 10)', () => {
    const verdict = run(0.4, 2.4);
    expect(verdict?.reasons).toEqual(['loss']);
    expect(verdict?.explanation).toMatch(/not below a uniform guess's 2\.303/);
    expect(run(0.4, 2.3)?.learned).toBe(true);
  });

  it('flags a diverged run, and does not judge a run still training or without an epoch', () => {
    expect(
      judgeLearning({ status: 'diverged', valAccuracy: 0.9, valLoss: 0.3, classes: 10 }),
    ).toMatchObject({ learned: false, reasons: ['diverged'] });
    expect(
      judgeLearning({ status: 'running', valAccuracy: 0.1, valLoss: 2.4, classes: 10 }),
    ).toBeNull();
    expect(run(null, null)).toBeNull();
  });

  it('writes how many seeds a mean is over', () => {
    expect(seedCountText(2, 3, 1)).toBe('2 of 3 seeds; 1 did not learn');
    expect(seedCountText(3, 3, 0)).toBe('3 of 3 seeds');
  });
});
