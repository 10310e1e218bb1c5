/**
 * What the UI keeps of one run's event stream, and how a batch of events is folded in.
 * Timelines are immutable: `appendEvents` returns a new object (so `$state.raw` holders replace
 * it) and is idempotent — replaying stored events over pushed ones (or the reverse) changes
 * nothing, because epochs and probes are keyed by epoch and logs by time + text.
 */
import {
  assertNever,
  type EventOf,
  type TerminalEvent,
  type TrainerEvent,
} from '../../main/api/index.js';
import { appendBatchPoints, batchPoint, type BatchPoint } from './batch-curve.js';

export type LogEntry = { time: number; level: 'info' | 'warning' | 'error'; message: string };

export interface RunTimeline {
  started: EventOf<'started'> | null;
  /** Ascending by epoch, one per epoch (a resumed run's re-run epoch replaces the old one). */
  epochs: readonly EventOf<'epoch'>[];
  /** End-of-epoch probes, ascending by epoch. */
  probes: readonly EventOf<'probe'>[];
  progress: EventOf<'progress'> | null;
  /** The per-batch training curve (lib/batch-curve.ts), ascending by step, capped. */
  batches: readonly BatchPoint[];
  terminal: TerminalEvent | null;
  /** Lifecycle and log lines, oldest first, at most MAX_LOG entries. */
  log: readonly LogEntry[];
}

export const MAX_LOG = 500;

export const emptyTimeline: RunTimeline = {
  started: null,
  epochs: [],
  probes: [],
  progress: null,
  batches: [],
  terminal: null,
  log: [],
};

function upsertByEpoch<T extends { epoch: number }>(list: readonly T[], items: T[]): readonly T[] {
  if (items.length === 0) return list;
  const byEpoch = new Map(list.map((e) => [e.epoch, e]));
  for (const item of items) byEpoch.set(item.epoch, item);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function describe(event: TrainerEvent): LogEntry | null {
  switch (event.kind) {
    case 'started':
      return {
        time: event.time,
        level: 'info',
        message: `started on ${event.backend.name} (${event.backend.device})${
          event.resumedFromEpoch > 0 ? `, resumed after epoch ${event.resumedFromEpoch}` : ''
        }`,
      };
    case 'log':
      return { time: event.time, level: event.level, message: event.message };
    case 'epoch':
      return {
        time: event.time,
        level: 'info',
        message: `epoch ${event.epoch}: val accuracy ${(event.valAccuracy * 100).toFixed(1)} %, val loss ${event.valLoss.toFixed(4)}`,
      };
    case 'completed':
      return {
        time: event.time,
        level: 'info',
        message: `completed after ${event.epochsCompleted} epochs`,
      };
    case 'stopped':
      return {
        time: event.time,
        level: 'warning',
        message: `stopped after ${event.epochsCompleted} epochs`,
      };
    case 'diverged':
      return {
        time: event.time,
        level: 'error',
        message: `diverged: loss ${event.loss} at epoch ${event.epoch}, batch ${event.batch}`,
      };
    case 'failed':
      return { time: event.time, level: 'error', message: `failed: ${event.message}` };
    case 'interrupted':
      return { time: event.time, level: 'warning', message: `interrupted: ${event.reason}` };
    case 'progress':
    case 'probe':
      return null;
    default:
      return assertNever(event);
  }
}

/** Folds a batch of events (in stream order) into a timeline; returns a new timeline. */
export function appendEvents(timeline: RunTimeline, events: readonly TrainerEvent[]): RunTimeline {
  if (events.length === 0) return timeline;
  let { started, progress, terminal } = timeline;
  const epochs: EventOf<'epoch'>[] = [];
  const probes: EventOf<'probe'>[] = [];
  const batches: BatchPoint[] = [];
  let previousProgress = timeline.progress;
  const seen = new Set(timeline.log.map((l) => `${l.time}|${l.message}`));
  const newLog: LogEntry[] = [];
  for (const event of events) {
    const entry = describe(event);
    if (entry && !seen.has(`${entry.time}|${entry.message}`)) {
      seen.add(`${entry.time}|${entry.message}`);
      newLog.push(entry);
    }
    switch (event.kind) {
      case 'started':
        if (!started || event.time >= started.time) {
          started = event;
          // A resumed run is live again: its old terminal event no longer describes it.
          if (terminal && terminal.time <= event.time) terminal = null;
        }
        break;
      case 'progress': {
        if (!progress || event.time >= progress.time) progress = event;
        const point = batchPoint(event, previousProgress);
        if (point) batches.push(point);
        previousProgress = event;
        break;
      }
      case 'epoch':
        epochs.push(event);
        break;
      case 'probe':
        if (event.epochEnd) probes.push(event);
        break;
      case 'log':
        break;
      case 'completed':
      case 'stopped':
      case 'diverged':
      case 'failed':
      case 'interrupted':
        if (!started || event.time >= started.time) terminal = event;
        break;
      default:
        assertNever(event);
    }
  }
  const log = newLog.length
    ? [...timeline.log, ...newLog].sort((a, b) => a.time - b.time).slice(-MAX_LOG)
    : timeline.log;
  return {
    started,
    progress,
    batches: appendBatchPoints(timeline.batches, batches),
    terminal,
    epochs: upsertByEpoch(timeline.epochs, epochs),
    probes: upsertByEpoch(timeline.probes, probes),
    log,
  };
}
