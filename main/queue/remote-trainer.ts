/**
 * Lab side of one run trained by a `bnlab worker`: a `TrainerProcess` (main/trainer/launcher.ts)
 * whose "process" is a BullMQ job. The lab's supervisor and run manager drive it like a local
 * trainer — `start` queues the job, `stop` removes it from the queue or signals its worker — and
 * receive its events, deduplicated, as if the trainer ran here. The run's checkpoints are copied
 * into the lab's own run folder as they arrive, so a remote run can also be resumed locally.
 */
import path from 'node:path';
import { formatIssues } from '../api/config.js';
import { isTerminal, TrainerEvent } from '../api/events.js';
import { ParentMessage, type StartMessage } from '../api/trainer-protocol.js';
import type { TrainerProcess } from '../trainer/launcher.js';
import { EventDedupe } from './event-dedupe.js';
import type { EventEnvelope } from './protocol.js';

/** What a remote trainer needs from the lab's Redis side (remote-runs.ts). */
export interface RemoteBackend {
  /** Makes Redis's checkpoint of the run match the lab's, then queues the job. */
  queue(start: StartMessage): Promise<void>;
  /** Removes a job still waiting; false when a worker has it (then `signalStop`). */
  unqueue(runId: string): Promise<boolean>;
  signalStop(runId: string): Promise<void>;
  /** Copies the run's checkpoint of `epoch` from Redis into `checkpointDir`, if Redis holds it. */
  saveCheckpoint(runId: string, epoch: number, checkpointDir: string): Promise<void>;
  /** Called once the run has ended here: forget it; `ended` (not killed): drop its checkpoint. */
  finished(runId: string, ended: boolean): void;
  warn(line: string): void;
}

export class RemoteTrainer implements TrainerProcess {
  readonly pid = process.pid;
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  private readonly spawnErrorListeners: ((error: Error) => void)[] = [];
  private start: StartMessage | null = null;
  private dedupe = new EventDedupe(0);
  private exited = false;
  private epochsCompleted = 0;

  constructor(
    private readonly backend: RemoteBackend,
    /** Registers this trainer under its run id, so envelopes reach it. */
    private readonly register: (runId: string, trainer: RemoteTrainer) => void,
  ) {}

  get runId(): string | null {
    return this.start?.config.runId ?? null;
  }

  send(raw: unknown): boolean {
    if (this.exited) return false;
    const parsed = ParentMessage.safeParse(raw);
    if (!parsed.success) return false;
    const message = parsed.data;
    if (message.kind === 'start') {
      if (this.start) return true;
      this.start = message;
      this.dedupe = new EventDedupe(message.resumeFromEpoch);
      this.epochsCompleted = message.resumeFromEpoch;
      this.register(message.config.runId, this);
      this.backend.queue(message).catch((error: unknown) => {
        for (const listener of this.spawnErrorListeners)
          listener(new Error(`could not queue the run in Redis: ${(error as Error).message}`));
        this.exit(1, null);
      });
      return true;
    }
    void this.stopRemote();
    return true;
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }
  onSpawnError(listener: (error: Error) => void): void {
    this.spawnErrorListeners.push(listener);
  }
  onStderr(): void {}

  /** The lab is closing: the worker stops the run, and here it ends at once (`interrupted`). */
  kill(): void {
    if (this.exited) return;
    void this.stopRemote(false);
    this.exit(null, 'SIGKILL');
  }

  /** One envelope from the event stream: parsed, deduplicated, recorded. */
  async receive(envelope: EventEnvelope): Promise<void> {
    if (this.exited || !this.start) return;
    const parsed = TrainerEvent.safeParse(envelope.event);
    if (!parsed.success) {
      this.backend.warn(
        `ignored a malformed event of run ${envelope.runId}: ${formatIssues(parsed.error)}`,
      );
      return;
    }
    let event = parsed.data;
    if (!this.dedupe.accept(envelope.attempt, envelope.seq, event)) return;
    if (event.kind === 'started') {
      // The worker's pid means nothing here; the run belongs to this lab (see RunRecord.pid).
      event = { ...event, pid: process.pid };
    }
    if (event.kind === 'epoch') {
      this.epochsCompleted = event.epoch;
      await this.backend
        .saveCheckpoint(envelope.runId, event.epoch, path.join(this.start.runDir, 'checkpoints'))
        .catch((error: unknown) =>
          this.backend.warn(
            `run ${envelope.runId}: could not copy the checkpoint of epoch ${event.epoch}: ${(error as Error).message}`,
          ),
        );
    }
    this.deliver(event);
    if (isTerminal(event)) this.exit(0, null);
  }

  /** BullMQ says the job failed (an invalid run, too many stalls) without a terminal event. */
  failed(reason: string): void {
    if (this.exited) return;
    this.deliver({
      kind: 'failed',
      time: Date.now(),
      epochsCompleted: this.epochsCompleted,
      message: `the queue failed the run: ${reason}`,
    });
    this.exit(1, null);
  }

  private async stopRemote(endHereIfQueued = true): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    try {
      if (await this.backend.unqueue(runId)) {
        if (endHereIfQueued && !this.exited) {
          this.deliver({
            kind: 'stopped',
            time: Date.now(),
            epochsCompleted: this.epochsCompleted,
          });
          this.exit(0, null);
        }
        return;
      }
      await this.backend.signalStop(runId);
    } catch (error) {
      this.backend.warn(`could not stop run ${runId} in Redis: ${(error as Error).message}`);
    }
  }

  private deliver(event: TrainerEvent): void {
    for (const listener of this.messageListeners) listener(event);
  }

  private exit(code: number | null, signal: string | null): void {
    if (this.exited) return;
    this.exited = true;
    const runId = this.runId;
    if (runId) this.backend.finished(runId, signal === null);
    for (const listener of this.exitListeners) listener(code, signal);
  }
}
