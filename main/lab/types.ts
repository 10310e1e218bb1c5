/**
 * The lab service as its transports see it: the Electron IPC adapter, the WebSocket server of
 * browser mode and the CLI all get a `Lab` from `createLab` (main/lab/service.ts) and serve its
 * `handlers`; pushes are already batched here (a few `run.events` per second per run), so a
 * transport only forwards them.
 */
import type { ReportFormat, LabHandlers, LabPush } from '../api/contract.js';
import type { BackendStatus } from '../api/records.js';
import type { TrainerLauncher } from '../trainer/launcher.js';
import type { SettingsOptions } from './trainer-source.js';

export interface LabHooks {
  /** Electron: a native open dialog for a CIFAR-10 folder or .tar.gz; null when cancelled. */
  chooseDatasetSource?(): Promise<string | null>;
  /** Electron: a native save dialog; null when cancelled. Without it reports go to `<home>/reports/`. */
  chooseReportPath?(defaultName: string, format: ReportFormat): Promise<string | null>;
  /** Electron: `webContents.printToPDF` of the report HTML; without it headless Chromium is used. */
  printToPdf?(html: string): Promise<Buffer>;
}

export interface LabOptions {
  /** Lab home (absolute): runs/, experiments/, datasets/, reports/. */
  home: string;
  mode: 'electron' | 'browser' | 'cli';
  /** How trainers are started; `forkLauncher` when absent. */
  launcher?: TrainerLauncher;
  /**
   * Runs trained at once (`--parallel`). Without it: BNLAB_PARALLEL, else decided from the
   * machine's physical cores and free memory (main/lab/parallelism.ts).
   */
  parallel?: number;
  hooks?: LabHooks;
  /**
   * The desktop app: the webgpu/webgl rows of `lab.info` from its hidden trainer window (where it
   * trains them). Without it they come from headless Chromium in a child process.
   */
  probeGpu?: () => Promise<BackendStatus[]>;
  /** Minimum time between two `run.events` pushes of one run (default 250 ms). */
  pushIntervalMs?: number;
  /**
   * The desktop app and `bnlab serve`: where new runs train follows `<home>/settings.json`
   * (`settings.set`, the Settings view), switching between `launcher` and Redis workers.
   * Without it (the CLI) runs always use `launcher`, and the settings are read-only.
   */
  settings?: SettingsOptions;
  /** The Redis `launcher` queues on (`--redis`), shown redacted by `settings.get`. */
  queueUrl?: string;
}

export interface Lab {
  readonly home: string;
  readonly handlers: LabHandlers;
  /** Every push, batched; returns the unsubscribe function. */
  subscribe(listener: (push: LabPush) => void): () => void;
  /** Resolves when no run is queued or training in this process. */
  idle(): Promise<void>;
  /** How many runs are queued or training in this process (the app asks before quitting). */
  activeRuns(): number;
  /**
   * Stops accepting work and interrupts running trainers: each stops after its current batch (or
   * is killed after a grace period) and its run ends `interrupted`, resumable, with `reason`
   * recorded (default: the lab was closed while the run was training).
   */
  close(reason?: string): Promise<void>;
}
