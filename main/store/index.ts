/** The run store's public API (DESIGN §6). */
export {
  RunStore,
  type NewExperiment,
  type NewRun,
  type Patch,
  type RunStoreOptions,
} from './run-store.js';
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
