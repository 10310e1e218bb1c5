/** The run store's public API (DESIGN §6). */
export { RunStore } from './run-store.js';
export type { NewExperiment, NewRun, Patch, RunStoreOptions } from './store-types.js';
export { StoreError } from './errors.js';
export {
  isExperimentId,
  isRunId,
  assertExperimentId,
  assertRunId,
  experimentIdFor,
  runIdFor,
} from './ids.js';
export { QUEUE_GONE_REASON, TRAINER_GONE_REASON } from './recover.js';
export { isRecordedProcessAlive } from './liveness.js';
