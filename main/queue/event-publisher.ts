/**
 * Worker side: sends one attempt's trainer events to the lab's event stream, in order. Epoch N's
 * `epoch` event is held until its epoch-end probe (or any later event) arrives, then the checkpoint
 * of epoch N, the `epoch` event and the probe go to Redis in one MULTI: another worker resumes
 * from exactly the last epoch the lab was told about, and a completed epoch is never half-sent.
 */
import type { Redis } from 'ioredis';
import type { TrainerEvent } from '../api/events.js';
import { checkpointFields, readCheckpointFolder } from './checkpoint-blob.js';
import type { EventEnvelope, QueueKeys } from './protocol.js';

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
  private pendingEpoch: Extract<TrainerEvent, { kind: 'epoch' }> | null = null;
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

  /** Queues `event` for sending; order is kept. */
  publish(event: TrainerEvent): void {
    this.chain = this.chain
      .then(() => this.send(event))
      .catch((error: unknown) => {
        this.failure ??= error as Error;
      });
  }

  /** Resolves when everything published so far is in Redis; throws the first send error. */
  async flushed(): Promise<void> {
    await this.chain;
    if (this.pendingEpoch) await this.sendEpoch([]);
    if (this.failure) throw this.failure;
  }

  private async send(event: TrainerEvent): Promise<void> {
    if (event.kind === 'epoch') {
      if (this.pendingEpoch) await this.sendEpoch([]);
      this.pendingEpoch = event;
      return;
    }
    if (this.pendingEpoch) {
      const endProbe =
        event.kind === 'probe' && event.epochEnd && event.epoch === this.pendingEpoch.epoch;
      await this.sendEpoch(endProbe ? [event] : []);
      if (endProbe) return;
    }
    const entry = this.entry(event);
    await retried(() => this.redis.xadd(...entry));
  }

  private async sendEpoch(after: TrainerEvent[]): Promise<void> {
    const epoch = this.pendingEpoch;
    if (!epoch) return;
    this.pendingEpoch = null;
    const blob = await readCheckpointFolder(this.checkpointDir, epoch.epoch);
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
