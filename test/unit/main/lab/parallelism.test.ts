import { describe, expect, it } from 'vitest';
import {
  decideParallelism,
  parallelSetting,
  peakRssMb,
  physicalCores,
  PEAK_RSS_MB,
} from '../../../../main/lab/parallelism.js';

describe('how many runs train at once', () => {
  it('runs one per physical core when memory holds that many', () => {
    const d = decideParallelism({ physicalCores: 2, freeMemoryMb: 20_000, peakRssMb: 1000 });
    expect(d.parallel).toBe(2);
    expect(d.tail).toBe(3);
    expect(d.reason).toMatch(
      /one per physical core \(2\), up to 3 when they are the queue's last runs/,
    );
    expect(d.reason).toMatch(/19\.5 GB free memory holds 20 runs at up to 1000 MB each/);
  });

  it('runs fewer when free memory holds fewer runs at their peak RSS, and says so', () => {
    const d = decideParallelism({ physicalCores: 16, freeMemoryMb: 3500, peakRssMb: 1000 });
    expect(d.parallel).toBe(3);
    expect(d.tail).toBe(3);
    expect(d.reason).toMatch(/^memory-bound: 3\.4 GB free memory holds 3 runs .*16 physical cores/);
  });

  it('still runs one at a time when not even one run fits', () => {
    const d = decideParallelism({ physicalCores: 8, freeMemoryMb: 400, peakRssMb: 1000 });
    expect(d).toEqual({
      parallel: 1,
      tail: 1,
      reason: 'one at a time: 0.4 GB free memory holds 0 runs at up to 1000 MB each',
    });
  });

  it('an override wins over the machine, whatever it is', () => {
    const d = decideParallelism({
      override: { value: 5, from: '--parallel' },
      physicalCores: 2,
      freeMemoryMb: 100,
      peakRssMb: 1000,
    });
    expect(d).toEqual({ parallel: 5, tail: 5, reason: 'set by --parallel' });
  });

  it("lets the queue's last runs share cores, but never more than memory holds or two per core", () => {
    const one = decideParallelism({ physicalCores: 1, freeMemoryMb: 20_000, peakRssMb: 1000 });
    expect(one).toMatchObject({ parallel: 1, tail: 1 });
    expect(one.reason).not.toMatch(/last runs/);
    const eight = decideParallelism({ physicalCores: 8, freeMemoryMb: 20_000, peakRssMb: 1000 });
    expect(eight).toMatchObject({ parallel: 8, tail: 15 });
    const tight = decideParallelism({ physicalCores: 8, freeMemoryMb: 10_500, peakRssMb: 1000 });
    expect(tight).toMatchObject({ parallel: 8, tail: 10 });
  });

  it('reads BNLAB_PARALLEL as the setting ("auto" or empty: decide from the machine)', () => {
    expect(parallelSetting({ BNLAB_PARALLEL: '3' })).toEqual({ value: 3, from: 'BNLAB_PARALLEL' });
    expect(parallelSetting({ BNLAB_PARALLEL: 'auto' })).toBeUndefined();
    expect(parallelSetting({})).toBeUndefined();
    expect(() => parallelSetting({ BNLAB_PARALLEL: '0' })).toThrow(/positive integer or "auto"/);
  });

  it('bounds memory by the largest model that may run', () => {
    expect(peakRssMb(['simple-cnn'])).toBe(PEAK_RSS_MB['simple-cnn']);
    expect(peakRssMb()).toBe(Math.max(...Object.values(PEAK_RSS_MB)));
  });

  it('counts at least one physical core, and no more than the CPUs Node may use', async () => {
    const { availableParallelism } = await import('node:os');
    const cores = physicalCores();
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cores).toBeLessThanOrEqual(availableParallelism());
  });
});
