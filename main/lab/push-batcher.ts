/**
 * Batches trainer events per run into `run.events` pushes, at most one per `intervalMs` per run,
 * so a UI stays smooth with many runs training at once. Terminal events flush at once.
 */
import { isTerminal, type TrainerEvent } from '../api/events.js';

export class PushBatcher {
  private readonly pending = new Map<string, TrainerEvent[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (runId: string, events: TrainerEvent[]) => void,
  ) {}

  add(runId: string, event: TrainerEvent): void {
    const list = this.pending.get(runId) ?? [];
    list.push(event);
    this.pending.set(runId, list);
    if (isTerminal(event) || this.intervalMs === 0) {
      this.flush(runId);
    } else if (!this.timers.has(runId)) {
      this.timers.set(
        runId,
        setTimeout(() => this.flush(runId), this.intervalMs),
      );
    }
  }

  flush(runId: string): void {
    const timer = this.timers.get(runId);
    if (timer) clearTimeout(timer);
    this.timers.delete(runId);
    const events = this.pending.get(runId);
    this.pending.delete(runId);
    if (events && events.length > 0) this.deliver(runId, events);
  }

  flushAll(): void {
    for (const runId of [...this.pending.keys()]) this.flush(runId);
  }
}
