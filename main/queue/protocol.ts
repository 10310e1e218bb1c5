/**
 * What travels over Redis between the lab and its workers (DESIGN §8). Everything read from Redis
 * is `unknown` until parsed here: a worker trains only a job whose run validates against the API's
 * `RunConfig`, and the lab records only envelopes whose event validates against `TrainerEvent`.
 *
 *   BullMQ queue `runs`            one job per run to train (`RunJob`), job id = run id
 *   stream `<prefix>:events`       worker → lab: `EventEnvelope`s of every run, in order
 *   hash   `<prefix>:checkpoint:<run id>`   the last checkpoint a worker reported (see below)
 *   key    `<prefix>:stop:<run id>` + channel `<prefix>:stop`   lab → worker: stop this run
 *   hash   `<prefix>:workers`      worker id → `WorkerAnnouncement`
 *
 * Checkpoints travel through Redis, beside the events: a worker writes epoch N's checkpoint and
 * epoch N's event in one MULTI, so the checkpoint another worker resumes from is always the one of
 * the last epoch the lab was told about — no shared file system to set up between machines.
 */
import { z } from 'zod';
import { RunConfig } from '../api/config.js';
import { isRunId } from '../store/ids.js';

/** BullMQ's queue name; its keys live under the prefix (`bnlab` unless `--redis-prefix`). */
export const QUEUE_NAME = 'runs';
export const DEFAULT_PREFIX = 'bnlab';

/** A checkpoint larger than this is refused (ResNet-20 and the simple CNN at width 1: < 20 MB). */
export const MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024;

export const RunId = z.string().refine(isRunId, 'must be a run id');

/** One run to train. `config.runId` names the run; nothing here becomes a file path. */
export const RunJob = z
  .strictObject({
    config: RunConfig.extend({ runId: RunId }),
    /** The lab's last recorded epoch; the worker resumes from the checkpoint hash (≥ this). */
    resumeFromEpoch: z.int().nonnegative(),
  })
  .refine((job) => job.resumeFromEpoch < job.config.training.epochs, {
    message: 'resumeFromEpoch must be below the run’s epochs',
    path: ['resumeFromEpoch'],
  });
export type RunJob = z.infer<typeof RunJob>;

/**
 * One trainer event of one run, as a worker sends it. `attempt` is unique per time a worker takes
 * the job and `seq` counts that attempt's events from 1, so a redelivered envelope is recognised.
 * `event` stays unknown here and is parsed as a `TrainerEvent` by the lab.
 */
export const EventEnvelope = z.strictObject({
  runId: RunId,
  attempt: z.string().min(1).max(200),
  seq: z.int().positive(),
  event: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** The stop signal's payload on the `<prefix>:stop` channel. */
export const StopSignal = z.strictObject({ runId: RunId });

/** What a worker says about itself when it starts (printed, and kept in `<prefix>:workers`). */
export const WorkerAnnouncement = z.strictObject({
  id: z.string(),
  host: z.string(),
  pid: z.int(),
  backend: z.string(),
  device: z.string(),
  /** The package and what it runs on (e.g. `@tensorflow/tfjs-node-gpu on CUDA device …`). */
  adapter: z.string(),
  concurrency: z.int().positive(),
  startedAt: z.string(),
});
export type WorkerAnnouncement = z.infer<typeof WorkerAnnouncement>;

/** The announcements among the values of the `<prefix>:workers` hash; malformed ones are left out. */
export function parseAnnouncements(values: string[]): WorkerAnnouncement[] {
  return values.flatMap((text) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return [];
    }
    const parsed = WorkerAnnouncement.safeParse(json);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Redis key names under `prefix`. Run ids are validated before they reach a key. */
export function queueKeys(prefix: string) {
  return {
    events: `${prefix}:events`,
    checkpoint: (runId: string) => `${prefix}:checkpoint:${runId}`,
    stop: (runId: string) => `${prefix}:stop:${runId}`,
    stopChannel: `${prefix}:stop`,
    workers: `${prefix}:workers`,
  };
}
export type QueueKeys = ReturnType<typeof queueKeys>;

/** Stalled-job detection and locks; production defaults are BullMQ's own. */
export interface StallSettings {
  /** How long a worker's lock on a job lasts without renewal (BullMQ default 30 000 ms). */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock expired (BullMQ default 30 000 ms). */
  stalledIntervalMs: number;
  /** Stalls after which a run fails instead of returning to the queue. */
  maxStalledCount: number;
}

export const DEFAULT_STALL_SETTINGS: StallSettings = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
};
