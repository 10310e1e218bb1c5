/**
 * Live progress of the runs a CLI command trains: one bar per run on a terminal, one line per
 * epoch (and per final status) when the output is a log or a pipe.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { assertNever, type TrainerEvent } from '../api/events.js';
import type { RunRecord } from '../api/records.js';

export class RunProgress {
  private readonly multibar: MultiBar | null;
  private readonly bars = new Map<string, SingleBar>();
  private readonly labels = new Map<string, string>();

  constructor(
    runs: readonly RunRecord[],
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    this.multibar = out.isTTY
      ? new MultiBar(
          {
            format: '{label} {bar} {percentage}% | epoch {epoch}/{epochs} | {status}',
            hideCursor: true,
            clearOnComplete: false,
            stream: out,
            barsize: 24,
          },
          Presets.shades_grey,
        )
      : null;
    const width = Math.max(...runs.map((r) => label(r).length));
    for (const run of runs) {
      const text = label(run).padEnd(width);
      this.labels.set(run.id, text);
      const bar = this.multibar?.create(run.training.epochs, run.epochsCompleted, {
        label: text,
        epoch: run.epochsCompleted,
        epochs: run.training.epochs,
        status: run.status,
      });
      if (bar) this.bars.set(run.id, bar);
    }
  }

  /** Feeds one batch of a run's events. */
  onEvents(runId: string, events: readonly TrainerEvent[]): void {
    const bar = this.bars.get(runId);
    const text = this.labels.get(runId) ?? runId;
    for (const event of events) {
      switch (event.kind) {
        case 'progress': {
          const done = event.epoch - 1 + event.batch / event.batchesPerEpoch;
          bar?.update(done, {
            epoch: event.epoch,
            status: `loss ${event.loss.toFixed(3)} acc ${pct(event.accuracy)} ${rate(event.imagesPerSecond)} img/s`,
          });
          break;
        }
        case 'epoch':
          bar?.update(event.epoch, {
            epoch: event.epoch,
            status: `val acc ${pct(event.valAccuracy)} val loss ${event.valLoss.toFixed(3)}`,
          });
          if (!bar) {
            this.line(
              `${text}  epoch ${event.epoch}  train loss ${event.trainLoss.toFixed(4)} acc ${pct(event.trainAccuracy)}` +
                `  val loss ${event.valLoss.toFixed(4)} acc ${pct(event.valAccuracy)}  ${rate(event.imagesPerSecond)} img/s`,
            );
          }
          break;
        case 'started':
          if (!bar)
            this.line(
              `${text}  started on ${event.backend.name} (${event.backend.device})` +
                (event.worker ? ` on worker ${event.worker}` : ''),
            );
          break;
        case 'completed':
        case 'stopped':
        case 'diverged':
        case 'failed':
        case 'interrupted': {
          const detail =
            event.kind === 'failed'
              ? `: ${event.message}`
              : event.kind === 'interrupted'
                ? `: ${event.reason}`
                : event.kind === 'diverged'
                  ? ` at epoch ${event.epoch} batch ${event.batch} (loss ${event.loss})`
                  : '';
          bar?.update({ status: `${event.kind}${detail}` });
          if (!bar) this.line(`${text}  ${event.kind}${detail}`);
          break;
        }
        case 'log':
          if (event.level !== 'info') this.line(`${text}  ${event.level}: ${event.message}`);
          break;
        case 'probe':
          break;
        default:
          assertNever(event);
      }
    }
  }

  stop(): void {
    this.multibar?.stop();
  }

  private line(text: string): void {
    if (this.multibar) this.multibar.log(`${text}\n`);
    else this.out.write(`${text}\n`);
  }
}

function label(run: RunRecord): string {
  return `${run.variant.name} s${run.seed}`;
}

/** Images/s: whole numbers, but one decimal below 10 (a software GPU adapter trains at < 1). */
function rate(imagesPerSecond: number): string {
  return imagesPerSecond.toFixed(imagesPerSecond < 10 ? 1 : 0);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
