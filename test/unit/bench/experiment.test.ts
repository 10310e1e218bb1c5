import { describe, expect, it } from 'vitest';
import { idealSpeedUp } from '../../../bench/experiment.js';

describe('the whole-preset bench: ideal speed-up of the default parallelism', () => {
  it('counts an idle core in a last round of its own, and none when the tail shares the cores', () => {
    // bn-simple: 3 runs on 2 cores.
    expect(idealSpeedUp(3, 2, 2)).toBeCloseTo(1.5);
    expect(idealSpeedUp(3, 2, 3)).toBeCloseTo(2);
    expect(idealSpeedUp(5, 2, 2)).toBeCloseTo(5 / 3);
    expect(idealSpeedUp(5, 2, 3)).toBeCloseTo(2);
    expect(idealSpeedUp(6, 2, 3)).toBeCloseTo(2);
    expect(idealSpeedUp(2, 4, 7)).toBe(2);
  });
});
