/**
 * The per-batch training curve: one point per `progress` event (the batches since the previous
 * one), kept per run, thinned to a cap by merging neighbours, smoothed with TensorBoard's
 * debiased EMA, and placed on an x axis of fractional epochs, optimizer steps or wall time.
 */
import type { EventOf } from '../../main/api/index.js';

export interface BatchPoint {
  /** Optimizer steps done when the window ended (1-based, counted over the whole run). */
  step: number;
  /** Fractional epoch: (epoch − 1) + batch ÷ batchesPerEpoch, so epoch 2's end is 2. */
  epoch: number;
  /** Epoch milliseconds when the window ended. */
  time: number;
  /** Mean training-mode loss and accuracy (0–1) of the window's batches. */
  loss: number;
  accuracy: number;
  /** Batches in the window (the weight when neighbours merge). */
  batches: number;
}

/** Points kept per run; past it neighbours merge pairwise (the curve keeps every batch's weight). */
export const MAX_BATCH_POINTS = 2000;

/**
 * The point a progress event adds, given the run's previous one (same epoch or not). Events from
 * logs written before the window fields existed get the window recovered from two running means:
 * (mean_k·b_k − mean_{k−1}·b_{k−1}) ÷ (b_k − b_{k−1}), exact but for a shorter last batch.
 */
export function batchPoint(
  event: EventOf<'progress'>,
  previous: EventOf<'progress'> | null,
): BatchPoint | null {
  const step = event.step ?? (event.epoch - 1) * event.batchesPerEpoch + event.batch;
  const base = {
    step,
    epoch: event.epoch - 1 + event.batch / event.batchesPerEpoch,
    time: event.time,
  };
  if (
    event.windowLoss !== undefined &&
    event.windowAccuracy !== undefined &&
    event.windowBatches !== undefined
  ) {
    return {
      ...base,
      loss: event.windowLoss,
      accuracy: event.windowAccuracy,
      batches: event.windowBatches,
    };
  }
  const samePrev = previous && previous.epoch === event.epoch ? previous : null;
  const before = samePrev?.batch ?? 0;
  const batches = event.batch - before;
  if (batches <= 0) return null;
  const sum = (mean: number, b: number) => mean * b;
  const loss = (sum(event.loss, event.batch) - sum(samePrev?.loss ?? 0, before)) / batches;
  const accuracy =
    (sum(event.accuracy, event.batch) - sum(samePrev?.accuracy ?? 0, before)) / batches;
  return { ...base, loss, accuracy: Math.min(1, Math.max(0, accuracy)), batches };
}

/** Two neighbouring windows as one: the later end, means weighted by batches. */
function merge(a: BatchPoint, b: BatchPoint): BatchPoint {
  const batches = a.batches + b.batches;
  return {
    step: b.step,
    epoch: b.epoch,
    time: b.time,
    batches,
    loss: (a.loss * a.batches + b.loss * b.batches) / batches,
    accuracy: (a.accuracy * a.batches + b.accuracy * b.batches) / batches,
  };
}

/**
 * Adds points to a run's list, ascending by step, one per step (a replayed step keeps the point
 * already there, so stored events loaded over live pushes change nothing); past `cap` the
 * points merge pairwise, which keeps every batch's weight in the curve.
 */
export function appendBatchPoints(
  list: readonly BatchPoint[],
  added: readonly BatchPoint[],
  cap = MAX_BATCH_POINTS,
): readonly BatchPoint[] {
  if (added.length === 0) return list;
  const lastStep = list.at(-1)?.step ?? 0;
  const ascending = added.every((p, i) => p.step > (added[i - 1]?.step ?? lastStep));
  let out: BatchPoint[];
  if (ascending) out = [...list, ...added];
  else {
    const byStep = new Map<number, BatchPoint>();
    for (const p of added) byStep.set(p.step, p);
    for (const p of list) byStep.set(p.step, p);
    out = [...byStep.values()].sort((a, b) => a.step - b.step);
  }
  while (out.length > cap) {
    const halved: BatchPoint[] = [];
    for (let i = 0; i + 1 < out.length; i += 2) halved.push(merge(out[i]!, out[i + 1]!));
    if (out.length % 2 === 1) halved.push(out[out.length - 1]!);
    out = halved;
  }
  return out;
}

/**
 * TensorBoard's debiased exponential moving average: last ← last·w + (1 − w)·y over the finite
 * values, each shown as last ÷ (1 − w^n) after n of them (so the start is not pulled to 0).
 * `weight` in [0, 1): 0 is no smoothing. Non-finite values pass through unsmoothed.
 */
export function debiasedEma(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1))
    throw new RangeError(`smoothing must be in [0, 1), got ${weight}`);
  let last = 0;
  let n = 0;
  return values.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n++;
    return weight === 0 ? y : last / (1 - weight ** n);
  });
}

export type BatchAxis = 'epoch' | 'step' | 'time';

/** The x of a point: fractional epoch, step, or seconds since `startMs` (the run's start). */
export function batchX(point: BatchPoint, axis: BatchAxis, startMs: number): number {
  switch (axis) {
    case 'epoch':
      return point.epoch;
    case 'step':
      return point.step;
    case 'time':
      return (point.time - startMs) / 1000;
  }
}
