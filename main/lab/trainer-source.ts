/**
 * Where new runs train, switched at run time by the Settings view (`settings.set`): this machine
 * (the lab's own launcher) or `bnlab worker`s through Redis (a `RemoteRuns` launcher, as
 * `serve --redis` uses). A run takes the source that is current when it leaves the lab's queue;
 * runs already training stay where they are, and a Redis connection that is switched away from
 * closes once its last run has ended. No restart is needed.
 *
 * The choice persists in `<home>/settings.json` (settings-file.ts). A torn or invalid file, a
 * password that cannot be decrypted here, or a Redis that cannot be reached when the lab opens
 * leave the lab training on this machine, and `problem` says why (shown by the Settings view).
 */
import { ApiError } from '../api/contract.js';
import { KEPT_PASSWORD, type ConnectionTestResult, type SettingsView } from '../api/settings.js';
import { redactUrl, redisOptions } from '../queue/connection.js';
import { testRedisConnection } from '../queue/connection-test.js';
import { REMOTE_PARALLEL, RemoteRuns } from '../queue/remote-runs.js';
import type { TrainerLauncher } from '../trainer/launcher.js';
import type { ParallelismDecision } from './parallelism.js';
import {
  DEFAULT_SETTINGS,
  readSettings,
  splitPassword,
  withPassword,
  writeSettings,
  type LabSettingsValue,
  type SecretBox,
} from './settings-file.js';

export interface SettingsOptions {
  /** Null: settings.set and settings.test are allowed. Else the sentence that says why not. */
  readOnlyReason: string | null;
  /** The desktop app's OS key store for the Redis password; without it the file holds it. */
  secrets?: SecretBox;
}

export interface TrainerSourceOptions {
  home: string;
  /** Trains on this machine (or, without `settings`, whatever the command line chose). */
  localLauncher: TrainerLauncher;
  /** Runs at once here as the machine (or `--parallel` / BNLAB_PARALLEL) decided, and why. */
  localParallelism: ParallelismDecision;
  /** True when `--parallel` or BNLAB_PARALLEL chose: the setting is saved but does not apply. */
  parallelFixed: boolean;
  /** Sets how many runs the lab's queue starts at once (and at the queue's end). */
  setParallel(decision: ParallelismDecision): void;
  /** Absent: the source is fixed (the CLI), and `fixedRedisUrl` says whether it queues on Redis. */
  settings?: SettingsOptions;
  fixedRedisUrl?: string;
  openRemote?: (url: string) => Promise<RemoteRuns>;
}

interface Remote {
  readonly runs: RemoteRuns;
  readonly url: string;
  live: number;
  retired: boolean;
}

export class TrainerSource {
  private saved: LabSettingsValue = DEFAULT_SETTINGS;
  private problem: string | null = null;
  private remote: Remote | null = null;
  private readonly retired = new Set<Remote>();
  private readonly loaded: Promise<void>;
  /** settings.set calls, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly openRemote: (url: string) => Promise<RemoteRuns>;

  constructor(private readonly options: TrainerSourceOptions) {
    this.openRemote = options.openRemote ?? ((redisUrl) => RemoteRuns.open({ redisUrl }));
    this.loaded = options.settings ? this.load() : Promise.resolve();
  }

  /** Resolves once the saved settings are applied (a run created before waits for this). */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** The launcher to give the run manager: asks the current source at every run start. */
  readonly launcher: TrainerLauncher = (launch) => {
    const remote = this.remote;
    if (!remote) return this.options.localLauncher(launch);
    const trainer = remote.runs.launcher(launch);
    remote.live += 1;
    trainer.onExit(() => {
      remote.live -= 1;
      void this.closeIfDone(remote);
    });
    return trainer;
  };

  /** Runs at once on this machine under the saved setting, and why. */
  localParallelism(): ParallelismDecision {
    const machine = this.options.localParallelism;
    const chosen = this.saved.runsAtOnce;
    if (chosen === null || this.options.parallelFixed) return machine;
    return {
      parallel: chosen,
      tail: chosen,
      reason: `set in Settings (the machine alone would run ${machine.parallel})`,
    };
  }

  /** lab.info's runs at once and why: the workers' concurrency when queued on Redis. */
  parallelism(): ParallelismDecision {
    if (this.remote) {
      return {
        parallel: REMOTE_PARALLEL,
        tail: REMOTE_PARALLEL,
        reason: `runs are queued on ${redactUrl(this.remote.url)}; each bnlab worker's --concurrency bounds them`,
      };
    }
    return this.localParallelism();
  }

  async view(): Promise<SettingsView> {
    await this.loaded;
    const fixed = this.options.fixedRedisUrl;
    if (!this.options.settings) {
      return {
        trainOn: fixed ? 'redis' : 'local',
        redisUrl: fixed ? redactUrl(fixed) : null,
        passwordStorage: 'none',
        activeTrainOn: fixed ? 'redis' : 'local',
        activeRedisUrl: fixed ? redactUrl(fixed) : null,
        problem: null,
        readOnlyReason: fixed
          ? 'this lab was started with --redis on the command line, which decides for this session'
          : 'the bnlab command line trains on this machine unless --redis is given',
        ...this.parallelView(),
      };
    }
    return {
      trainOn: this.saved.trainOn,
      redisUrl: this.saved.redisUrl ? redactUrl(this.saved.redisUrl) : null,
      passwordStorage: this.saved.passwordStorage,
      activeTrainOn: this.remote ? 'redis' : 'local',
      activeRedisUrl: this.remote ? redactUrl(this.remote.url) : null,
      problem: this.problem,
      readOnlyReason: this.options.settings.readOnlyReason,
      ...this.parallelView(),
    };
  }

  private parallelView(): Pick<
    SettingsView,
    'runsAtOnce' | 'activeRunsAtOnce' | 'activeRunsAtOnceReason' | 'machineRunsAtOnce'
  > {
    const active = this.localParallelism();
    return {
      runsAtOnce: this.saved.runsAtOnce,
      activeRunsAtOnce: active.parallel,
      activeRunsAtOnceReason: active.reason,
      machineRunsAtOnce: this.options.localParallelism.parallel,
    };
  }

  /** Tries a Redis URL once (a `***` password: the saved one). */
  async test(url: string): Promise<ConnectionTestResult> {
    this.assertWritable();
    await this.loaded;
    let resolved: string;
    try {
      resolved = this.resolvePassword(url);
    } catch (error) {
      return { status: 'invalid-url', message: (error as Error).message, workers: [] };
    }
    return testRedisConnection(resolved);
  }

  /**
   * Saves the choice and applies it to runs started from now on. Choosing Redis connects first:
   * an unreachable Redis or a refused password is an error and changes nothing.
   */
  set(params: {
    trainOn: 'local' | 'redis';
    redisUrl: string | null;
    runsAtOnce?: number | null | undefined;
  }): Promise<SettingsView> {
    const next = this.queue.then(() => this.apply(params));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Closes every Redis connection; call after the run manager has closed. */
  async close(): Promise<void> {
    await this.loaded;
    await this.queue;
    const all = [...this.retired, ...(this.remote ? [this.remote] : [])];
    this.remote = null;
    this.retired.clear();
    await Promise.allSettled(all.map((r) => r.runs.close()));
  }

  private async apply(params: {
    trainOn: 'local' | 'redis';
    redisUrl: string | null;
    runsAtOnce?: number | null | undefined;
  }): Promise<SettingsView> {
    this.assertWritable();
    await this.loaded;
    let url: string | null = null;
    if (params.redisUrl) {
      try {
        url = this.resolvePassword(params.redisUrl);
        redisOptions(url);
      } catch (error) {
        throw new ApiError('invalid-params', (error as Error).message, [
          { path: 'redisUrl', message: (error as Error).message },
        ]);
      }
    }
    let remote = this.remote;
    let opened: Remote | null = null;
    if (params.trainOn === 'redis' && url && remote?.url !== url) {
      try {
        opened = { runs: await this.openRemote(url), url, live: 0, retired: false };
      } catch (error) {
        throw new ApiError('unavailable', `${(error as Error).message}; nothing was changed`);
      }
    }
    let saved: LabSettingsValue;
    try {
      saved = await writeSettings(
        this.options.home,
        {
          trainOn: params.trainOn,
          redisUrl: url,
          runsAtOnce: params.runsAtOnce === undefined ? this.saved.runsAtOnce : params.runsAtOnce,
        },
        this.options.settings?.secrets,
      );
    } catch (error) {
      await opened?.runs.close();
      throw new ApiError('internal', `could not save the settings: ${(error as Error).message}`);
    }
    if (params.trainOn === 'redis') remote = opened ?? remote;
    else remote = null;
    if (this.remote && this.remote !== remote) this.retire(this.remote);
    this.remote = remote;
    this.saved = saved;
    this.problem = null;
    this.options.setParallel(this.parallelism());
    return this.view();
  }

  private async load(): Promise<void> {
    try {
      this.saved = await readSettings(this.options.home, this.options.settings?.secrets);
    } catch (error) {
      this.problem = `${(error as Error).message}; runs train on this machine until the settings are saved again`;
      return;
    }
    this.options.setParallel(this.localParallelism());
    if (this.saved.trainOn !== 'redis') return;
    const url = this.saved.redisUrl;
    if (!url) {
      this.problem = 'the settings choose Redis but hold no Redis URL; runs train on this machine';
      return;
    }
    try {
      this.remote = { runs: await this.openRemote(url), url, live: 0, retired: false };
      this.options.setParallel(this.parallelism());
    } catch (error) {
      this.problem =
        `${(error as Error).message} when the lab opened; runs train on this machine until ` +
        'Redis answers and the settings are saved again';
    }
  }

  /** A `***` password becomes the saved one (the same user's, as shown by settings.get). */
  private resolvePassword(url: string): string {
    redisOptions(url);
    const { password } = splitPassword(url);
    if (password !== KEPT_PASSWORD) return url;
    const saved = this.saved.redisUrl ? splitPassword(this.saved.redisUrl).password : null;
    if (saved === null) throw new Error('there is no saved password to keep: type the password');
    return withPassword(url, saved);
  }

  private assertWritable(): void {
    const reason = this.options.settings
      ? this.options.settings.readOnlyReason
      : 'settings are read-only for a lab started from the command line';
    if (reason !== null) throw new ApiError('unavailable', `settings are read-only: ${reason}`);
  }

  private retire(remote: Remote): void {
    remote.retired = true;
    this.retired.add(remote);
    void this.closeIfDone(remote);
  }

  private async closeIfDone(remote: Remote): Promise<void> {
    if (!remote.retired || remote.live > 0 || !this.retired.delete(remote)) return;
    await remote.runs.close().catch(() => undefined);
  }
}
