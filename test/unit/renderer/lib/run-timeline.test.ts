import { describe, expect, test } from 'vitest';
import type { TrainerEvent } from '../../../../main/api/index.js';
import { appendEvents, emptyTimeline } from '../../../../renderer/lib/run-timeline.js';

const epoch = (n: number, time: number, valAccuracy = 0.5): TrainerEvent => ({
  kind: 'epoch',
  time,
  epoch: n,
  trainLoss: 1 / n,
  trainAccuracy: 0.5,
  valLoss: 1 / n,
  valAccuracy,
  learningRate: 0.01,
  durationMs: 1000,
  imagesPerSecond: 100,
});

describe('appendEvents', () => {
  test('replaying stored events over pushed ones changes nothing', () => {
    const events = [
      epoch(1, 10),
      epoch(2, 20),
      { kind: 'completed', time: 30, epochsCompleted: 2 } as const,
    ];
    const pushed = appendEvents(appendEvents(emptyTimeline, events.slice(0, 1)), events.slice(1));
    const replayed = appendEvents(pushed, events);
    expect(replayed.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(replayed.log).toHaveLength(3);
    expect(replayed.terminal?.kind).toBe('completed');
  });

  test('returns a new object and leaves the old one untouched (for $state.raw)', () => {
    const a = appendEvents(emptyTimeline, [epoch(1, 10)]);
    const b = appendEvents(a, [epoch(2, 20)]);
    expect(b).not.toBe(a);
    expect(a.epochs).toHaveLength(1);
    expect(b.epochs).toHaveLength(2);
  });

  test('a resumed run re-runs an epoch: the new one replaces the old, and the stop is forgotten', () => {
    const stopped = appendEvents(emptyTimeline, [
      epoch(1, 10, 0.4),
      epoch(2, 20, 0.5),
      { kind: 'stopped', time: 25, epochsCompleted: 2 },
    ]);
    expect(stopped.terminal?.kind).toBe('stopped');
    const started: TrainerEvent = {
      kind: 'started',
      time: 40,
      backend: { name: 'wasm', device: 'cpu', package: 'p', version: '1', flags: {}, reason: 'r' },
      model: {
        architecture: 'simple-cnn',
        inputShape: [28, 28, 1],
        layers: [],
        trainableParams: 1,
        nonTrainableParams: 0,
        flopsPerImage: 1,
        notes: [],
      },
      dataset: {
        name: 'mnist',
        inputShape: [28, 28, 1],
        classes: 10,
        trainCount: 1,
        validationCount: 1,
        testCount: 1,
      },
      resumedFromEpoch: 1,
      pid: 3,
    };
    const resumed = appendEvents(stopped, [started, epoch(2, 50, 0.7)]);
    expect(resumed.terminal).toBeNull();
    expect(resumed.epochs.map((e) => [e.epoch, e.valAccuracy])).toEqual([
      [1, 0.4],
      [2, 0.7],
    ]);
    expect(resumed.log.at(-2)?.message).toContain('resumed after epoch 1');
  });

  test('progress alone leaves the epoch and probe lists as they were (charts need not redraw)', () => {
    const a = appendEvents(emptyTimeline, [epoch(1, 10)]);
    const b = appendEvents(a, [
      {
        kind: 'progress',
        time: 11,
        epoch: 2,
        batch: 1,
        batchesPerEpoch: 4,
        loss: 1,
        accuracy: 0.2,
        imagesPerSecond: 80,
      },
    ]);
    expect(b.epochs).toBe(a.epochs);
    expect(b.probes).toBe(a.probes);
    expect(b.progress?.batch).toBe(1);
  });

  test('keeps only end-of-epoch probes and the newest progress', () => {
    const probe = (epochEnd: boolean, e: number): TrainerEvent => ({
      kind: 'probe',
      time: e,
      epoch: e,
      step: e * 10,
      epochEnd,
      layers: [],
    });
    const progress = (time: number): TrainerEvent => ({
      kind: 'progress',
      time,
      epoch: 1,
      batch: time,
      batchesPerEpoch: 10,
      loss: 1,
      accuracy: 0.1,
      imagesPerSecond: 50,
    });
    const t = appendEvents(emptyTimeline, [
      progress(2),
      probe(false, 1),
      probe(true, 1),
      progress(3),
    ]);
    expect(t.probes).toHaveLength(1);
    expect(t.progress?.batch).toBe(3);
  });
});
