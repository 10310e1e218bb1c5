/** Small helpers of the run store: record building, patches, validation, directory reads. */
import { readdir, stat } from 'node:fs/promises';
import { describeIssues, formatIssues } from '../api/config.js';
import { RUN_SCHEMA_VERSION, type ExperimentRecord, type RunRecord } from '../api/records.js';
import { StoreError, hasCode } from './errors.js';
import type { NewRun, Patch } from './store-types.js';

/**
 * A new run of `experiment`: queued, nothing trained, and `pid` set to this process, because a
 * queued run belongs to the lab that queued it (see recover.ts).
 */
export function newRunRecord(
  id: string,
  experiment: ExperimentRecord,
  input: NewRun,
  now: Date,
): unknown {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id,
    experimentId: experiment.id,
    experimentName: experiment.name,
    variant: input.variant,
    seed: input.seed,
    dataset: experiment.spec.dataset,
    training: experiment.spec.training,
    backendRequested: experiment.backendRequested,
    status: 'queued',
    createdAt: now.toISOString(),
    startedAt: null,
    endedAt: null,
    epochsCompleted: 0,
    bestValAccuracy: null,
    bestEpoch: null,
    lastValAccuracy: null,
    backend: null,
    model: null,
    datasetInfo: null,
    error: null,
    pid: process.pid,
    environment: input.environment,
  };
}

export function applyPatch<T extends { id: string; schemaVersion: number }>(
  current: T,
  patch: Patch<T>,
): unknown {
  const next = typeof patch === 'function' ? patch(current) : { ...current, ...patch };
  // The identity of a record never changes through a patch.
  return { ...next, id: current.id, schemaVersion: current.schemaVersion };
}

export function validated<S extends typeof RunRecord | typeof ExperimentRecord>(
  schema: S,
  value: unknown,
) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new StoreError(
      'invalid-params',
      `invalid record: ${formatIssues(parsed.error)}`,
      describeIssues(parsed.error),
    );
  }
  return parsed.data as S['_output'];
}

export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return [];
    throw error;
  }
}

export async function isEmptyFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size === 0,
    () => false,
  );
}

/** Runs tasks one after another per key (one record's read-modify-write), keys in parallel. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves when every task queued so far has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
