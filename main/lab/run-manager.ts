/**
 * Trains runs: queues them, starts one supervised trainer per run, records every event in the
 * run store and keeps `run.json` in step (status, backend, epochs, best accuracy), and stops or
 * resumes them. Runs started by another process (a `bnlab run` in a terminal) are stopped
 * through their trainer's pid (SIGTERM = graceful stop).
 */
import type { TerminalEvent, TrainerEvent } from '../api/events.js';
import { ApiError } from '../api/contract.js';
import type { RunRecord } from '../api/records.js';
import type { Patch, RunStore } from '../store/index.js';
import type { TrainerLauncher } from '../trainer/launcher.js';
import { RunQueue } from './run-queue.js';
import { superviseTrainer, type SupervisedRun } from './supervisor.js';

export interface RunManagerOptions {
  store: RunStore;
  home: string;
  launcher: TrainerLauncher;
  parallel: number;
  /** Runs at once when the waiting runs are the queue's last (RunQueue); default `parallel`. */
  tail?: number;
  onEvent(runId: string, event: TrainerEvent): void;
  onRunUpdated(run: RunRecord): void;
}

const RESUMABLE: readonly RunRecord['status'][] = ['stopped', 'interrupted', 'failed'];

export class RunManager {
  private readonly queue: RunQueue;
  private readonly active = new Map<string, SupervisedRun>();
  /** Runs whose job has left the queue but whose trainer is not supervised yet. */
  private readonly starting = new Set<string>();
  /** Stops asked for while a run was starting: applied as soon as it is supervised. */
  private readonly pendingStops = new Set<string>();
  /** Per-run chain of record writes, so updates of one run never interleave. */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(private readonly options: RunManagerOptions) {
    this.queue = new RunQueue(options.parallel, options.tail ?? options.parallel);
  }

  get parallel(): number {
    return this.queue.parallel;
  }

  /** Runs at once from now on (the app's settings: runs at once, or the trainer source changed); running runs are left to finish. */
  setParallel(parallel: number, tail = parallel): void {
    this.queue.setParallel(parallel, tail);
  }

  /** Queues runs already recorded as `queued`; `resumeFromEpoch` continues from a checkpoint. */
  enqueue(run: RunRecord, resumeFromEpoch = 0): void {
    this.queue.enqueue({
      id: run.id,
      run: () => this.train(run.id, resumeFromEpoch),
      cancelled: () => undefined,
    });
  }

  /** How many runs are queued, starting or training here. */
  get activeCount(): number {
    return new Set([...this.queue.ids(), ...this.starting, ...this.active.keys()]).size;
  }

  isActive(runId: string): boolean {
    return this.active.has(runId) || this.starting.has(runId) || this.queue.has(runId);
  }

  /** Stops a run wherever it is: queued here, training here, or training in another process. */
  async stop(runId: string): Promise<void> {
    const { store } = this.options;
    const run = await store.getRun(runId);
    if (this.queue.cancel(runId)) {
      await this.finishUnstarted(run);
      return;
    }
    if (this.starting.has(runId)) {
      this.pendingStops.add(runId);
      return;
    }
    const supervised = this.active.get(runId);
    if (supervised) {
      supervised.stop();
      return;
    }
    if (run.status === 'queued') {
      // Queued by another process: it re-reads the record before starting and will skip it.
      await this.finishUnstarted(run);
      return;
    }
    if (
      run.status === 'running' &&
      run.pid !== null &&
      store.isProcessAlive(run.pid, await store.runWrittenMs(runId))
    ) {
      process.kill(run.pid, 'SIGTERM');
      return;
    }
    if (run.status === 'running') {
      throw new ApiError(
        'conflict',
        `run ${runId} is marked running but its trainer is gone; restart the lab to mark it interrupted`,
      );
    }
    throw new ApiError('conflict', `run ${runId} is not running (status: ${run.status})`);
  }

  /** Queues a stopped, interrupted or failed run to continue from its last completed epoch. */
  async resume(runId: string): Promise<RunRecord> {
    const run = await this.options.store.getRun(runId);
    if (this.isActive(runId) || run.status === 'running' || run.status === 'queued') {
      throw new ApiError('conflict', `run ${runId} is already ${run.status}`);
    }
    if (!RESUMABLE.includes(run.status)) {
      throw new ApiError(
        'conflict',
        `run ${runId} is ${run.status}; only stopped, interrupted or failed runs can be resumed`,
      );
    }
    if (run.epochsCompleted >= run.training.epochs) {
      throw new ApiError(
        'conflict',
        `run ${runId} has already trained all ${run.training.epochs} epochs`,
      );
    }
    // A queued run belongs to the lab that queued it (the store's recovery checks this pid).
    const queued = await this.update(runId, {
      status: 'queued',
      error: null,
      endedAt: null,
      pid: process.pid,
    });
    this.enqueue(queued, run.epochsCompleted);
    return queued;
  }

  /** Resolves when nothing is queued or training here. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Cancels queued runs and interrupts training ones, then waits for them: each trainer is asked
   * to stop after its current batch and killed if it has not within the launcher's grace period;
   * the run ends `interrupted` with `reason` (resumable from its last completed epoch).
   */
  async close(reason: string): Promise<void> {
    this.queue.close();
    const running = [...this.active.values()];
    for (const run of running) run.interrupt(reason);
    await Promise.all(running.map((r) => r.done));
    await Promise.all([...this.writes.values()]);
  }

  private async train(runId: string, resumeFromEpoch: number): Promise<void> {
    // Synchronously, as the job leaves the queue: a stop from now on waits for the trainer.
    this.starting.add(runId);
    const { store } = this.options;
    const record = await store.getRun(runId).catch((error: unknown) => {
      this.starting.delete(runId);
      throw error;
    });
    if (record.status !== 'queued' || this.pendingStops.has(runId)) {
      // Stopped meanwhile, here or by another process.
      this.starting.delete(runId);
      if (this.pendingStops.delete(runId) && record.status === 'queued')
        await this.finishUnstarted(record);
      return;
    }
    const supervised = superviseTrainer({
      launcher: this.options.launcher,
      start: {
        kind: 'start',
        config: {
          runId,
          experimentId: record.experimentId,
          experimentName: record.experimentName,
          dataset: record.dataset,
          variant: record.variant,
          seed: record.seed,
          training: record.training,
          backend: record.backendRequested,
        },
        runDir: store.runDir(runId),
        home: this.options.home,
        resumeFromEpoch,
      },
      onEvent: (event) => this.record(runId, event),
    });
    this.active.set(runId, supervised);
    this.starting.delete(runId);
    if (this.pendingStops.delete(runId)) supervised.stop();
    // In the run's write chain, after any event already recorded: a trainer that failed to
    // start has written `failed`, which this must not overwrite.
    await this.update(runId, (current) =>
      current.status === 'queued'
        ? {
            ...current,
            status: 'running',
            startedAt: current.startedAt ?? new Date().toISOString(),
            pid: supervised.pid ?? null,
          }
        : current,
    );
    await supervised.done;
    this.active.delete(runId);
    await this.writes.get(runId);
  }

  /** Stores one event, updates run.json where the event changes it, and forwards it. */
  private record(runId: string, event: TrainerEvent): void {
    const { store } = this.options;
    this.chain(runId, async () => {
      await store.appendEvents(runId, [event]);
      if (event.kind === 'progress' || event.kind === 'probe' || event.kind === 'log') return;
      const patch = patchFor(await store.getRun(runId), event);
      if (patch) await this.write(runId, patch);
    }).catch((error: unknown) => {
      // The trainer goes on; what was stored stays valid. Say so where someone will read it.
      console.error(
        `bnlab: could not record a ${event.kind} event of run ${runId}: ${(error as Error).message}`,
      );
    });
    this.options.onEvent(runId, event);
  }

  /** Ends a run that never started as `stopped` (queued runs keep their completed epochs). */
  private async finishUnstarted(run: RunRecord): Promise<void> {
    const event: TerminalEvent = {
      kind: 'stopped',
      time: Date.now(),
      epochsCompleted: run.epochsCompleted,
    };
    await this.chain(run.id, () => this.options.store.appendEvents(run.id, [event]));
    this.options.onEvent(run.id, event);
    await this.update(run.id, { status: 'stopped', endedAt: new Date().toISOString(), pid: null });
  }

  private update(runId: string, patch: Patch<RunRecord>): Promise<RunRecord> {
    return this.chain(runId, () => this.write(runId, patch));
  }

  private async write(runId: string, patch: Patch<RunRecord>): Promise<RunRecord> {
    const updated = await this.options.store.updateRun(runId, patch);
    this.options.onRunUpdated(updated);
    return updated;
  }

  private chain<T>(runId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.writes.get(runId) ?? Promise.resolve();
    const next = previous.then(task, task);
    this.writes.set(
      runId,
      next.catch(() => undefined),
    );
    return next;
  }
}

/** What an event changes in run.json, or null. */
function patchFor(run: RunRecord, event: TrainerEvent): Partial<RunRecord> | null {
  switch (event.kind) {
    case 'started':
      return {
        backend: event.backend,
        model: event.model,
        datasetInfo: event.dataset,
        pid: event.pid,
        worker: event.worker ?? null,
      };
    case 'epoch': {
      const better = run.bestValAccuracy === null || event.valAccuracy > run.bestValAccuracy;
      return {
        epochsCompleted: Math.max(run.epochsCompleted, event.epoch),
        lastValAccuracy: event.valAccuracy,
        lastValLoss: event.valLoss,
        ...(better ? { bestValAccuracy: event.valAccuracy, bestEpoch: event.epoch } : {}),
      };
    }
    case 'completed':
    case 'stopped':
    case 'diverged':
    case 'failed':
    case 'interrupted':
      return terminalPatch(event);
    case 'progress':
    case 'probe':
    case 'log':
      return null;
  }
}

function terminalPatch(event: TerminalEvent): Partial<RunRecord> {
  const base = { status: event.kind, endedAt: new Date(event.time).toISOString(), pid: null };
  switch (event.kind) {
    case 'failed':
      return { ...base, error: event.message };
    case 'interrupted':
      return { ...base, error: event.reason };
    case 'diverged':
      return {
        ...base,
        error: `loss became ${event.loss} at epoch ${event.epoch}, batch ${event.batch}`,
      };
    case 'completed':
    case 'stopped':
      return { ...base, error: null };
  }
}
