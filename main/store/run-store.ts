/**
 * The run store (DESIGN §6): the user's experiments and runs under the lab home.
 *
 *   <home>/experiments/<experiment-id>.json   ExperimentRecord, written atomically
 *   <home>/runs/<run-id>/run.json             RunRecord, written atomically
 *   <home>/runs/<run-id>/events.jsonl         TrainerEvents, append-only (see event-log.ts)
 *   <home>/runs/<run-id>/checkpoints/         the trainer's
 *
 * Records are validated when read. Lists skip a record that does not validate, with a warning, so
 * one damaged file never hides the user's other runs. Writes to one record are serialised.
 */
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TrainerEvent } from '../api/events.js';
import { EXPERIMENT_SCHEMA_VERSION, ExperimentRecord, RunRecord } from '../api/records.js';
import { StoreError, hasCode } from './errors.js';
import { EventLog, type Warn } from './event-log.js';
import type { NewExperiment, NewRun, Patch, RunStoreOptions } from './store-types.js';
import {
  assertExperimentId,
  assertRunId,
  experimentIdFor,
  isExperimentId,
  isRunId,
  parseRunId,
  runIdFor,
} from './ids.js';
import { readRecord, writeRecord } from './json-file.js';
import { isRecordedProcessAlive } from './liveness.js';
import { recoverInterruptedRuns } from './recover.js';
import {
  applyPatch,
  isEmptyFile,
  KeyedQueue,
  newRunRecord,
  readdirOrEmpty,
  validated,
} from './store-helpers.js';

/** The console, once per message per process (a CLI command may open the store twice). */
const printedWarnings = new Set<string>();
function warnOnConsole(message: string): void {
  if (printedWarnings.has(message)) return;
  printedWarnings.add(message);
  console.warn(`warning: ${message}`);
}

export class RunStore {
  readonly experimentsDir: string;
  readonly runsDir: string;
  private readonly warn: Warn;
  private readonly now: () => Date;
  readonly isProcessAlive: (pid: number, recordWrittenMs: number) => boolean;
  private readonly logs = new Map<string, EventLog>();
  private readonly queue = new KeyedQueue();

  constructor(
    readonly home: string,
    options: RunStoreOptions = {},
  ) {
    this.experimentsDir = path.join(home, 'experiments');
    this.runsDir = path.join(home, 'runs');
    // Once per message: listing runs several times in one command (recovery, then the list
    // itself) must not repeat the same "skipped" line.
    const warned = new Set<string>();
    const warn = options.onWarning ?? warnOnConsole;
    this.warn = (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      warn(message);
    };
    this.now = options.now ?? (() => new Date());
    this.isProcessAlive = options.isProcessAlive ?? isRecordedProcessAlive;
  }

  // ── paths ──────────────────────────────────────────────────────────────────

  /** `<home>/runs/<id>`; throws on a malformed id. */
  runDir(id: string): string {
    assertRunId(id);
    return path.join(this.runsDir, id);
  }

  /** `<home>/runs/<id>/checkpoints`, the trainer's folder. */
  checkpointsDir(id: string): string {
    return path.join(this.runDir(id), 'checkpoints');
  }

  private runFile(id: string): string {
    return path.join(this.runDir(id), 'run.json');
  }

  private experimentFile(id: string): string {
    assertExperimentId(id);
    return path.join(this.experimentsDir, `${id}.json`);
  }

  // ── experiments ────────────────────────────────────────────────────────────

  /** Creates an experiment with a fresh readable id (`20261129-031500-bn-simple`) and no runs. */
  async createExperiment(input: NewExperiment): Promise<ExperimentRecord> {
    await mkdir(this.experimentsDir, { recursive: true });
    const at = this.now();
    for (let attempt = 1; ; attempt++) {
      const id = experimentIdFor(input.name, at, attempt);
      const file = this.experimentFile(id);
      try {
        // Claims the name exclusively, also against another lab process on the same home.
        await (await open(file, 'wx')).close();
      } catch (error) {
        if (hasCode(error, 'EEXIST')) continue;
        throw error;
      }
      const record = validated(ExperimentRecord, {
        schemaVersion: EXPERIMENT_SCHEMA_VERSION,
        id,
        ...input,
        createdAt: at.toISOString(),
        runIds: [],
      });
      await writeRecord(file, record);
      return record;
    }
  }

  /** The experiment `id`; throws `not-found`, or `internal` naming the file and field when corrupt. */
  async getExperiment(id: string): Promise<ExperimentRecord> {
    const record = await readRecord(this.experimentFile(id), ExperimentRecord);
    if (!record)
      throw new StoreError('not-found', `experiment ${id} not found in ${this.experimentsDir}`);
    return record;
  }

  /** Every readable experiment, oldest first; unreadable ones are skipped with a warning. */
  async listExperiments(): Promise<ExperimentRecord[]> {
    const names = await readdirOrEmpty(this.experimentsDir);
    const records: ExperimentRecord[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue; // write-file-atomic's temp files, editor backups
      const id = name.slice(0, -'.json'.length);
      if (!isExperimentId(id)) {
        this.warn(`${path.join(this.experimentsDir, name)}: not an experiment file name; ignored`);
        continue;
      }
      try {
        const record = await this.getExperiment(id);
        records.push(record);
      } catch (error) {
        // A file claimed by createExperiment but not yet written is empty: not worth a warning.
        if (!(await isEmptyFile(this.experimentFile(id))))
          this.warn(`skipped: ${(error as Error).message}`);
      }
    }
    return records.sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
  }

  /** Applies `patch` to experiment `id`, validates and writes it atomically; returns the result. */
  updateExperiment(id: string, patch: Patch<ExperimentRecord>): Promise<ExperimentRecord> {
    return this.queue.run(`experiment:${id}`, async () => {
      const updated = validated(ExperimentRecord, applyPatch(await this.getExperiment(id), patch));
      await writeRecord(this.experimentFile(id), updated);
      return updated;
    });
  }

  /** Deletes experiment `id` and all its runs (the runs first, so nothing is left orphaned). */
  async deleteExperiment(id: string): Promise<void> {
    const record = await this.getExperiment(id);
    // Exact ids only: the experiment's own list, and folders whose id names this experiment
    // (a run created just before a crash may be missing from the list). Never a prefix match:
    // `e` is a prefix of `e-2`.
    const runIds = new Set(record.runIds.filter(isRunId));
    for (const name of await readdirOrEmpty(this.runsDir)) {
      if (parseRunId(name)?.experimentId === id) runIds.add(name);
    }
    for (const runId of runIds) await this.removeRunDir(runId);
    await rm(this.experimentFile(id), { force: true });
  }

  // ── runs ───────────────────────────────────────────────────────────────────

  /**
   * Creates run `<experiment>--<variant>--s<seed>` as `queued`, with its folder and an empty
   * events.jsonl, and adds it to the experiment's run ids. `pid` is set to this process: a queued
   * run belongs to the lab that queued it (see recover.ts).
   */
  async createRun(experiment: ExperimentRecord, input: NewRun): Promise<RunRecord> {
    const id = runIdFor(experiment.id, input.variant.name, input.seed);
    const record = validated(RunRecord, newRunRecord(id, experiment, input, this.now()));
    await mkdir(this.runsDir, { recursive: true });
    try {
      await mkdir(this.runDir(id));
    } catch (error) {
      if (hasCode(error, 'EEXIST')) throw new StoreError('conflict', `run ${id} already exists`);
      throw error;
    }
    await writeRecord(this.runFile(id), record);
    await (await open(path.join(this.runDir(id), 'events.jsonl'), 'a')).close();
    await this.updateExperiment(experiment.id, (e) => ({ ...e, runIds: [...e.runIds, id] }));
    return record;
  }

  /** The run `id`; throws `not-found`, or `internal` naming the file and field when corrupt. */
  async getRun(id: string): Promise<RunRecord> {
    const record = await readRecord(this.runFile(id), RunRecord);
    if (!record) throw new StoreError('not-found', `run ${id} not found in ${this.runsDir}`);
    return record;
  }

  /**
   * Every readable run, in experiment order (experiments oldest first, runs as created); a run
   * whose run.json is missing or invalid is skipped with a warning naming the file and field.
   */
  async listRuns(): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const name of await readdirOrEmpty(this.runsDir)) {
      if (!isRunId(name)) continue; // checkpoint temp folders, stray files
      try {
        runs.push(await this.getRun(name));
      } catch (error) {
        this.warn(`skipped run ${name}: ${(error as Error).message}`);
      }
    }
    const order = new Map<string, number>();
    for (const experiment of await this.listExperiments()) {
      for (const runId of experiment.runIds) order.set(runId, order.size);
    }
    const rank = (r: RunRecord) => order.get(r.id) ?? Number.MAX_SAFE_INTEGER;
    return runs.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  }

  /** Applies `patch` to run `id`, validates (naming a bad field) and writes it atomically. */
  updateRun(id: string, patch: Patch<RunRecord>): Promise<RunRecord> {
    return this.queue.run(`run:${id}`, async () => {
      const updated = validated(RunRecord, applyPatch(await this.getRun(id), patch));
      await writeRecord(this.runFile(id), updated);
      return updated;
    });
  }

  /** Deletes run `id` (its folder, events and checkpoints) and removes it from its experiment. */
  async deleteRun(id: string): Promise<void> {
    const run = await this.getRun(id).catch((error: unknown) => {
      if (error instanceof StoreError && error.code === 'internal') return null; // delete corrupt runs too
      throw error;
    });
    await this.removeRunDir(id);
    const experimentId = run?.experimentId ?? parseRunId(id)?.experimentId;
    if (experimentId !== undefined && isExperimentId(experimentId)) {
      await this.updateExperiment(experimentId, (e) => ({
        ...e,
        runIds: e.runIds.filter((r) => r !== id),
      })).catch((error: unknown) => {
        if (!(error instanceof StoreError && error.code === 'not-found')) throw error;
      });
    }
  }

  private async removeRunDir(id: string): Promise<void> {
    await this.logs
      .get(id)
      ?.flush(false)
      .catch(() => undefined);
    this.logs.delete(id);
    await rm(this.runDir(id), { recursive: true, force: true });
  }

  // ── events ─────────────────────────────────────────────────────────────────

  private log(id: string): EventLog {
    let log = this.logs.get(id);
    if (!log) {
      log = new EventLog(path.join(this.runDir(id), 'events.jsonl'), this.warn);
      this.logs.set(id, log);
    }
    return log;
  }

  /**
   * Appends events to the run's events.jsonl. Buffered; resolves after an fsync when a `started`,
   * `epoch` or terminal event is among them. Throws `not-found` when the run does not exist.
   */
  async appendEvents(id: string, events: readonly TrainerEvent[]): Promise<void> {
    if (!this.logs.has(id)) await this.assertRunExists(id);
    await this.log(id).append(events);
  }

  /** The run's events, all or only `kinds`; skips a torn last line with a warning. */
  async readEvents(id: string, kinds?: readonly string[]): Promise<TrainerEvent[]> {
    await this.assertRunExists(id);
    return this.log(id).read(kinds);
  }

  /** Writes and fsyncs every buffered event. */
  async flush(): Promise<void> {
    await Promise.all([...this.logs.values()].map((log) => log.flush(true)));
  }

  /** Flushes everything; the store may still be used afterwards. */
  async close(): Promise<void> {
    await this.flush();
    await this.queue.settled();
  }

  private async assertRunExists(id: string): Promise<void> {
    try {
      await stat(this.runDir(id));
    } catch (error) {
      if (hasCode(error, 'ENOENT'))
        throw new StoreError('not-found', `run ${id} not found in ${this.runsDir}`);
      throw error;
    }
  }

  // ── recovery ───────────────────────────────────────────────────────────────

  /** Marks runs whose trainer (or lab) is gone as `interrupted`; see recover.ts. Returns them. */
  recoverInterrupted(): Promise<RunRecord[]> {
    return recoverInterruptedRuns(this, this.warn);
  }

  /** When run.json of `id` was last written, in epoch ms. */
  async runWrittenMs(id: string): Promise<number> {
    return (await stat(this.runFile(id))).mtimeMs;
  }
}
