import { describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../../main/api/events.js';
import { EventDedupe } from '../../../../main/queue/event-dedupe.js';

const progress = (epoch: number, batch: number): TrainerEvent => ({
  kind: 'progress',
  time: 1,
  epoch,
  batch,
  batchesPerEpoch: 10,
  loss: 1,
  accuracy: 0.5,
  imagesPerSecond: 100,
});
const epochEvent = (epoch: number): TrainerEvent => ({
  kind: 'epoch',
  time: 1,
  epoch,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss: 1,
  valAccuracy: 0.5,
  learningRate: 0.05,
  durationMs: 10,
  imagesPerSecond: 100,
});

describe('EventDedupe', () => {
  it('drops an envelope delivered twice', () => {
    const dedupe = new EventDedupe(0);
    expect(dedupe.accept('w1/a', 1, progress(1, 1))).toBe(true);
    expect(dedupe.accept('w1/a', 1, progress(1, 1))).toBe(false);
    expect(dedupe.accept('w1/a', 2, progress(1, 2))).toBe(true);
  });

  it('a retry from the last checkpoint repeats only the unfinished epoch, and is recorded once', () => {
    const dedupe = new EventDedupe(0);
    // Worker A: epoch 1 complete, then 4 batches of epoch 2, then it dies.
    let seq = 0;
    const a = (e: TrainerEvent) => dedupe.accept('A', ++seq, e);
    for (let b = 1; b <= 10; b++) expect(a(progress(1, b))).toBe(true);
    expect(a(epochEvent(1))).toBe(true);
    for (let b = 1; b <= 4; b++) expect(a(progress(2, b))).toBe(true);
    // Worker B resumes from epoch 1: its batches 1–4 of epoch 2 are already recorded.
    seq = 0;
    const b = (e: TrainerEvent) => dedupe.accept('B', ++seq, e);
    expect(b(epochEvent(1))).toBe(false);
    expect([1, 2, 3, 4, 5, 6].map((batch) => b(progress(2, batch)))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(b(epochEvent(2))).toBe(true);
    expect(b(epochEvent(2))).toBe(false);
  });

  it('a run resumed by the lab drops what precedes its checkpoint', () => {
    const dedupe = new EventDedupe(3);
    expect(dedupe.accept('A', 1, epochEvent(3))).toBe(false);
    expect(dedupe.accept('A', 2, progress(3, 10))).toBe(false);
    expect(dedupe.accept('A', 3, progress(4, 1))).toBe(true);
  });

  it('keeps probes by optimizer step', () => {
    const dedupe = new EventDedupe(0);
    const probe = (step: number): TrainerEvent => ({
      kind: 'probe',
      time: 1,
      epoch: 1,
      step,
      epochEnd: false,
      layers: [],
    });
    expect(dedupe.accept('A', 1, probe(5))).toBe(true);
    expect(dedupe.accept('B', 1, probe(5))).toBe(false);
    expect(dedupe.accept('B', 2, probe(10))).toBe(true);
  });
});
