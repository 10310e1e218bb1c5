/**
 * Thinning a run's stored `progress` events for a reader that wants the per-batch curve, not
 * every event: a full-scale run writes one every ~250 ms (tens of thousands), while a chart needs
 * a few thousand points. TensorBoard keeps a sample of its scalars for the same reason.
 */
import type { EventOf, TrainerEvent } from '../api/index.js';

/**
 * Keeps at most `max` progress events (every k-th, k = ⌈n ÷ max⌉, and the last), leaving every
 * other kind in place and in order. A kept event's window (`windowLoss`, `windowAccuracy`,
 * `windowBatches`) is widened to the batches since the previous kept event — their mean weighted
 * by batches — so the thinned curve still covers every batch. `max` ≥ 1; events in stream order.
 */
export function thinProgress(events: readonly TrainerEvent[], max: number): TrainerEvent[] {
  const total = events.reduce((n, e) => n + (e.kind === 'progress' ? 1 : 0), 0);
  if (total <= max) return [...events];
  const stride = Math.ceil(total / max);
  const out: TrainerEvent[] = [];
  let pending: EventOf<'progress'>[] = [];
  let index = 0;
  for (const event of events) {
    if (event.kind !== 'progress') {
      out.push(event);
      continue;
    }
    pending.push(event);
    index++;
    if (index % stride === 0 || index === total) {
      out.push(mergeWindows(pending));
      pending = [];
    }
  }
  return out;
}

/** The last event of a block, its window widened to the whole block (when every one has one). */
function mergeWindows(block: readonly EventOf<'progress'>[]): EventOf<'progress'> {
  const last = block[block.length - 1]!;
  let batches = 0;
  let loss = 0;
  let accuracy = 0;
  for (const e of block) {
    if (e.windowBatches === undefined || e.windowLoss === undefined) return last;
    if (e.windowAccuracy === undefined) return last;
    batches += e.windowBatches;
    loss += e.windowLoss * e.windowBatches;
    accuracy += e.windowAccuracy * e.windowBatches;
  }
  return {
    ...last,
    windowBatches: batches,
    windowLoss: loss / batches,
    windowAccuracy: Math.min(1, Math.max(0, accuracy / batches)),
  };
}
