import { describe, expect, it } from 'vitest';
import type { EventOf, TrainerEvent } from '../../../../main/api/index.js';
import { thinProgress } from '../../../../main/store/progress-sample.js';

function progress(step: number, windowLoss?: number): EventOf<'progress'> {
  return {
    kind: 'progress',
    time: step * 100,
    epoch: 1,
    batch: step,
    batchesPerEpoch: 100,
    loss: 1,
    accuracy: 0.5,
    imagesPerSecond: 10,
    ...(windowLoss === undefined
      ? {}
      : { windowLoss, windowAccuracy: 0.5, windowBatches: 1, step }),
  };
}

const log = (time: number): TrainerEvent => ({ kind: 'log', time, level: 'info', message: 'x' });

describe('thinProgress', () => {
  it('leaves a short log as it is', () => {
    const events = [progress(1, 2), log(150), progress(2, 1)];
    expect(thinProgress(events, 5)).toEqual(events);
  });

  it('keeps at most max progress events, the last included, and every other event in order', () => {
    const events: TrainerEvent[] = [];
    for (let s = 1; s <= 10; s++) {
      events.push(progress(s, s));
      if (s === 5) events.push(log(550));
    }
    const out = thinProgress(events, 4);
    const kept = out.filter((e) => e.kind === 'progress');
    // 10 events, stride 3: steps 3, 6, 9 and the last, 10.
    expect(kept.map((e) => e.batch)).toEqual([3, 6, 9, 10]);
    expect(out.map((e) => e.kind)).toEqual(['progress', 'log', 'progress', 'progress', 'progress']);
    // Each kept window covers the batches since the previous kept one: mean of 1,2,3 is 2; 4,5,6 → 5.
    expect(kept.map((e) => e.windowBatches)).toEqual([3, 3, 3, 1]);
    expect(kept.map((e) => e.windowLoss)).toEqual([2, 5, 8, 10]);
  });

  it('samples old logs without windows unchanged', () => {
    const events = [1, 2, 3, 4].map((s) => progress(s));
    const out = thinProgress(events, 2);
    expect(out).toEqual([events[1], events[3]]);
  });
});
