/** What callers give the run store; the store adds ids, dates and defaults. */
import type { ExperimentRecord, Environment, VariantSpec } from '../api/records.js';
import type { Warn } from './event-log.js';

/** What the caller gives to create an experiment; the store adds id, dates and run ids. */
export type NewExperiment = Pick<
  ExperimentRecord,
  'name' | 'preset' | 'scale' | 'spec' | 'backendRequested'
>;
/** What the caller gives to create a run of an experiment. */
export interface NewRun {
  readonly variant: VariantSpec;
  readonly seed: number;
  readonly environment: Environment;
}
export type Patch<T> = Partial<Omit<T, 'id' | 'schemaVersion'>> | ((current: T) => T);

export interface RunStoreOptions {
  /** Where warnings go (skipped records, torn lines); `console.warn` by default. */
  onWarning?: Warn;
  /** Whether the process recorded in a run is still its own (tests inject this). */
  isProcessAlive?: (pid: number, recordWrittenMs: number) => boolean;
  now?: () => Date;
}
