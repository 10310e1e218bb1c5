/**
 * Drops the events of one run that the lab has already recorded, so a redelivery (an envelope
 * read twice) or a retry (another worker resuming the run from its last checkpoint and training
 * the unfinished epoch again) never stores an event twice. Idempotent by run (one instance per
 * run), by attempt and sequence number, and by position: epoch for `epoch` events, epoch and batch
 * for `progress`, optimizer step for `probe`.
 */
import type { TrainerEvent } from '../api/events.js';

export class EventDedupe {
  private readonly seen = new Set<string>();
  private lastEpoch: number;
  /** epoch × 2^20 + batch of the last recorded `progress`. */
  private lastProgress: number;
  private lastProbeStep = -1;

  /** `resumedFromEpoch`: epochs the lab had recorded before this job was queued. */
  constructor(resumedFromEpoch: number) {
    this.lastEpoch = resumedFromEpoch;
    this.lastProgress = position(resumedFromEpoch + 1, 0) - 1;
  }

  /** True when `event` (envelope `attempt`/`seq`) is new and should be recorded. */
  accept(attempt: string, seq: number, event: TrainerEvent): boolean {
    const key = `${attempt}#${seq}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    switch (event.kind) {
      case 'epoch':
        if (event.epoch <= this.lastEpoch) return false;
        this.lastEpoch = event.epoch;
        return true;
      case 'progress': {
        const at = position(event.epoch, event.batch);
        if (event.epoch <= this.lastEpoch || at <= this.lastProgress) return false;
        this.lastProgress = at;
        return true;
      }
      case 'probe':
        if (event.step <= this.lastProbeStep) return false;
        this.lastProbeStep = event.step;
        return true;
      case 'started':
      case 'log':
      case 'completed':
      case 'stopped':
      case 'diverged':
      case 'failed':
      case 'interrupted':
        return true;
    }
  }
}

function position(epoch: number, batch: number): number {
  return epoch * 2 ** 20 + batch;
}
