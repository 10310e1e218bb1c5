/**
 * Ids of experiments and runs. They become file and folder names, so every id that comes from
 * outside (CLI arguments, API calls, folder listings) is checked against a strict pattern before a
 * path is built from it: lower-case letters, digits, `.`, `_`, `-`, starting with a timestamp.
 */
import { isExperimentId, isRunId } from '../api/ids.js';
import { StoreError } from './errors.js';

export { isExperimentId, isRunId };

/** Throws an `invalid-params` StoreError unless `id` is a well-formed experiment id. */
export function assertExperimentId(id: string): void {
  if (!isExperimentId(id)) {
    throw new StoreError(
      'invalid-params',
      `"${id}" is not an experiment id (like 20261129-031500-bn-simple)`,
    );
  }
}

/** Throws an `invalid-params` StoreError unless `id` is a well-formed run id. */
export function assertRunId(id: string): void {
  if (!isRunId(id)) {
    throw new StoreError(
      'invalid-params',
      `"${id}" is not a run id (like 20261129-031500-bn-simple--bn-before--s1)`,
    );
  }
}

/** `YYYYMMDD-HHMMSS-<name>` in UTC, plus `-N` for the N-th experiment of that name and second. */
export function experimentIdFor(name: string, at: Date, attempt = 1): string {
  const iso = at.toISOString(); // 2026-11-29T03:15:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  const id = `${stamp}-${name}${attempt > 1 ? `-${attempt}` : ''}`;
  assertExperimentId(id);
  return id;
}

/**
 * The parts of a run id. A variant name starts with a letter or digit and holds no `--`, so the
 * variant begins after the last `--` that a letter or digit follows; this also reads ids made
 * before names were barred from ending in `-` (`…-e---v--s1` is experiment `…-e-`, variant `v`).
 * Null for a string that is not a run id.
 */
export function parseRunId(
  id: string,
): { experimentId: string; variant: string; seed: number } | null {
  if (!isRunId(id)) return null;
  const match = /^(.+)--([a-z0-9](?:[a-z0-9._]|-(?!-))*-?)--s(\d+)$/.exec(id);
  if (!match || !isExperimentId(match[1]!)) return null;
  return { experimentId: match[1]!, variant: match[2]!, seed: Number(match[3]) };
}

/** The id of one variant × seed of an experiment. */
export function runIdFor(experimentId: string, variant: string, seed: number): string {
  const id = `${experimentId}--${variant}--s${seed}`;
  assertRunId(id);
  return id;
}
