/**
 * The lab's settings as the API carries them: where new runs train (this machine, or `bnlab
 * worker`s through Redis) and the Redis URL. A URL read back is always redacted
 * (`redis://user:***@host:6379`): the password never leaves the lab's main process.
 */
import { z } from 'zod';

/** Where new runs train: here, or queued for `bnlab worker`s through Redis (`--redis`). */
export const TrainOn = z.enum(['local', 'redis']);
export type TrainOn = z.infer<typeof TrainOn>;

/** The most runs at once the setting accepts (each run is one trainer process). */
export const MAX_RUNS_AT_ONCE = 64;

/** A password written as `***` (what `settings.get` shows) means "the saved password". */
export const KEPT_PASSWORD = '***';

export const SettingsView = z.strictObject({
  /** What the user chose (saved in `<home>/settings.json`). */
  trainOn: TrainOn,
  /** The saved Redis URL with its password redacted; null when none was entered. */
  redisUrl: z.string().nullable(),
  /** How the saved password is kept: encrypted by the OS (desktop app), in the file, or none. */
  passwordStorage: z.enum(['encrypted', 'file', 'none']),
  /** Where new runs train right now (differs from `trainOn` when `problem` says why). */
  activeTrainOn: TrainOn,
  /** The Redis new runs are queued on right now (redacted), or null. */
  activeRedisUrl: z.string().nullable(),
  /** Why the active choice is not the saved one (a torn settings file, Redis unreachable). */
  problem: z.string().nullable(),
  /** Null when `settings.set` and `settings.test` are allowed; else why not. */
  readOnlyReason: z.string().nullable(),
  /** Runs trained at once on this machine as saved; null: the machine's default. */
  runsAtOnce: z.number().int().positive().nullable(),
  /** Runs at once on this machine right now, and why (the status bar's sentence). */
  activeRunsAtOnce: z.number().int().positive(),
  activeRunsAtOnceReason: z.string(),
  /** What the machine alone would choose (one per physical core, bounded by free memory). */
  machineRunsAtOnce: z.number().int().positive(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsSetParams = z
  .strictObject({
    trainOn: TrainOn,
    /** redis:// or rediss:// (TLS); a password of `***` keeps the saved one. */
    redisUrl: z.string().trim().max(2000).nullable(),
    /** Runs at once on this machine (1–64); null: the machine's default; absent: unchanged. */
    runsAtOnce: z.number().int().min(1).max(MAX_RUNS_AT_ONCE).nullable().optional(),
  })
  .refine((p) => p.trainOn === 'local' || (p.redisUrl !== null && p.redisUrl !== ''), {
    message: 'training through Redis needs a Redis URL',
    path: ['redisUrl'],
  });
export type SettingsSetParams = z.infer<typeof SettingsSetParams>;

export const ConnectionTestParams = z.strictObject({
  /** The URL to try (a `***` password: the saved one). */
  redisUrl: z.string().trim().min(1).max(2000),
});

export const ConnectionTestResult = z.strictObject({
  status: z.enum(['reachable', 'unreachable', 'auth-failed', 'tls-failed', 'invalid-url']),
  /** One sentence for the user; never contains the password. */
  message: z.string(),
  /** Reachable: the `bnlab worker`s that have announced themselves (id and backend). */
  workers: z.array(z.string()),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;
