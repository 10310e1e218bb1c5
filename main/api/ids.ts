/**
 * The id patterns, here so that the API contract can refuse a malformed id before any handler
 * runs (the store, main/store/ids.ts, checks them again before it builds a path). Ids become file
 * and folder names: lower-case letters, digits, `.`, `_`, `-`, starting with a timestamp.
 */

/** `20261129-031500-bn-simple`, optionally with a `-2`… suffix when the second is taken. */
const EXPERIMENT_ID = /^\d{8}-\d{6}-[a-z0-9][a-z0-9._-]*$/;
/** `<experimentId>--<variant>--s<seed>`. */
const RUN_ID = /^\d{8}-\d{6}-[a-z0-9][a-z0-9._-]*--[a-z0-9][a-z0-9._-]*--s\d+$/;
export const MAX_ID_LENGTH = 200;

/** True when `id` is a well-formed experiment id. */
export function isExperimentId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && EXPERIMENT_ID.test(id);
}

/** True when `id` is a well-formed run id. */
export function isRunId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && RUN_ID.test(id);
}
