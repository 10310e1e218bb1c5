/**
 * Worker side: sends one attempt's trainer events to the lab's event stream, in order. Epoch N's
 * `epoch` event is held until its epoch-end probe (or any later event) arrives, then the checkpoint
 * of epoch N, the `epoch` event and the probe go to Redis in one MULTI: another worker resumes
 * from exactly the last epoch the lab was told about, and a completed epoch is never half-sent.
 *
 * Epoch N's checkpoint is read from the trainer's folder when its `epoch` event is published, not
 * when it is sent: sending can lag behind training by minutes (while Redis is away every write is
 * retried), and meanwhile the trainer, which keeps only its latest two checkpoints, deletes it.
 * After a write that failed for good nothing more is sent, so the lab never sees a later epoch
 * (or the run's end) after a lost one; the job fails with that error instead.
 */
import type { Redis } from 'ioredis';
import type { TrainerEvent } from '../api/events.js';
import { checkpointFields, readCheckpointFolder, type CheckpointBlob } from './checkpoint-blob.js';
import type { EventEnvelope, QueueKeys } from './protocol.js';

type EpochEvent = Extract<TrainerEvent, { kind: 'epoch' }>;
/** An `epoch` event held for its epoch-end probe, with its checkpoint read when it arrived. */
interface PendingEpoch {
  event: EpochEvent;
  checkpoint: Promise<CheckpointBlob>;
}

/** Keeps the stream bounded if no lab reads it; far above what one experiment leaves unread. */
const STREAM_MAX_ENTRIES = 1_000_000;

/** How long a worker keeps retrying a write while Redis is away (restarting, failing over). */
const RETRY_FOR_MS = 120_000;
const RETRY_DELAY_MS = 500;

/** Runs `write` until it succeeds; throws its last error after RETRY_FOR_MS. */
async function retried<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

export class EventPublisher {
  private seq = 0;
  private pendingEpoch: PendingEpoch | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly runId: string,
    private readonly attempt: string,
    /** The trainer's checkpoints folder (a temporary folder of this worker). */
    private readonly checkpointDir: string,
  ) {}

  /**
   * Queues `event` for sending; order is kept. Resolves once the event is taken: for an `epoch`
   * event, once its checkpoint has been read (never rejects; a read error fails the sending).
   */
  publish(event: TrainerEvent): Promise<void> {
    const checkpoint = event.kind === 'epoch' ? this.readCheckpoint(event.epoch) : null;
    this.enqueue(() =>
      event.kind === 'epoch' && checkpoint
        ? this.holdEpoch({ event, checkpoint })
        : this.send(event),
    );
    return checkpoint ? checkpoint.then(noop, noop) : Promise.resolve();
  }

  /** Resolves when everything published so far is in Redis; throws the first send error. */
  async flushed(): Promise<void> {
    this.enqueue(() => this.sendEpoch([]));
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Runs `task` after everything queued before it, unless a send has failed. */
  private enqueue(task: () => Promise<void>): void {
    this.chain = this.chain
      .then(() => (this.failure ? undefined : task()))
      .catch((error: unknown) => {
        this.failure ??= error as Error;
      });
  }

  private readCheckpoint(epoch: number): Promise<CheckpointBlob> {
    const read = readCheckpointFolder(this.checkpointDir, epoch).catch((error: unknown) => {
      throw new Error(
        `could not read the checkpoint of epoch ${epoch}: ${(error as Error).message}`,
      );
    });
    // Awaited (and its error reported) when the epoch is sent.
    void read.catch(noop);
    return read;
  }

  private async holdEpoch(epoch: PendingEpoch): Promise<void> {
    if (this.pendingEpoch) await this.sendEpoch([]);
    this.pendingEpoch = epoch;
  }

  private async send(event: TrainerEvent): Promise<void> {
    if (this.pendingEpoch) {
      const endProbe =
        event.kind === 'probe' && event.epochEnd && event.epoch === this.pendingEpoch.event.epoch;
      await this.sendEpoch(endProbe ? [event] : []);
      if (endProbe) return;
    }
    const entry = this.entry(event);
    await retried(() => this.redis.xadd(...entry));
  }

  private async sendEpoch(after: TrainerEvent[]): Promise<void> {
    const pending = this.pendingEpoch;
    if (!pending) return;
    this.pendingEpoch = null;
    const epoch = pending.event;
    const blob = await pending.checkpoint;
    const entries = [epoch, ...after].map((event) => this.entry(event));
    // Envelopes keep their sequence numbers across retries: the lab drops a second delivery.
    await retried(async () => {
      const multi = this.redis
        .multi()
        .hset(this.keys.checkpoint(this.runId), checkpointFields(blob));
      for (const entry of entries) multi.xadd(...entry);
      const results = await multi.exec();
      const failed = results?.find(([error]) => error !== null);
      if (!results || failed)
        throw new Error(`Redis refused epoch ${epoch.epoch}: ${String(failed?.[0] ?? 'aborted')}`);
    });
  }

  private entry(event: TrainerEvent): [string, 'MAXLEN', '~', number, '*', 'e', string] {
    this.seq += 1;
    const envelope: EventEnvelope = {
      runId: this.runId,
      attempt: this.attempt,
      seq: this.seq,
      event,
    };
    return [
      this.keys.events,
      'MAXLEN',
      '~',
      STREAM_MAX_ENTRIES,
      '*',
      'e',
      JSON.stringify(envelope),
    ];
  }
}

function noop(): void {}
