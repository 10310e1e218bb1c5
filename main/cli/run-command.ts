/**
 * `bnlab run` and `bnlab resume`: train in this process's lab with live progress, then print
 * the comparison table and where the runs are. Ctrl-C stops the runs gracefully (resumable);
 * a second Ctrl-C kills them (interrupted, still resumable).
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import {
  ExperimentSpec,
  formatIssues,
  type BackendChoice,
  type DatasetName,
  type Scale,
} from '../api/config.js';
import { describeJsonError, parseJsonText } from '../api/json-error.js';
import { ApiError, type CreateExperimentParams, type ReportFormat } from '../api/contract.js';
import type { RunRecord } from '../api/records.js';
import { createLab } from '../lab/service.js';
import { loadReportData } from '../lab/report-handler.js';
import type { Lab } from '../lab/types.js';
import { RunStore } from '../store/index.js';
import { callLab } from './call.js';
import { CliError, EXIT } from './errors.js';
import { resolveHome } from './home.js';
import { RunProgress } from './progress.js';
import { redactUrl } from '../queue/connection.js';
import { RemoteRuns, REMOTE_PARALLEL } from '../queue/remote-runs.js';
import { checkRedisUrl, unavailableIfUnreachable } from './worker-command.js';
import { comparisonTable } from './summary-table.js';

export interface RunOptions {
  scale: Scale;
  dataset?: DatasetName;
  epochs?: number;
  seeds?: number;
  /** Training and validation images used (`--train-subset`, `--validation-subset`). */
  trainSubset?: number;
  validationSubset?: number;
  backend: BackendChoice;
  /** Absent: BNLAB_PARALLEL, else decided from the machine (main/lab/parallelism.ts). */
  parallel?: number;
  report?: ReportFormat;
  /** Queue the runs for `bnlab worker`s through this Redis instead of training here. */
  redis?: string;
}

/** The lab, training here or through Redis; `close` closes both. */
async function openLab(
  home: string,
  parallel: number | undefined,
  redis: string | undefined,
): Promise<Lab> {
  if (!redis) return createLab({ home, mode: 'cli', parallel });
  checkRedisUrl(redis);
  const remote = await unavailableIfUnreachable(() => RemoteRuns.open({ redisUrl: redis }));
  const workers = await remote.workers();
  process.stdout.write(
    `Queueing on ${redactUrl(redis)}; ${workers.length} worker(s) listening${workers
      .map(
        (w) => `\n  ${w.id}: ${w.backend} (${w.device}; ${w.adapter}), ${w.concurrency} at a time`,
      )
      .join('')}\n`,
  );
  const lab = await createLab({
    home,
    mode: 'cli',
    parallel: REMOTE_PARALLEL,
    launcher: remote.launcher,
  }).catch(async (error: unknown) => {
    await remote.close();
    throw error;
  });
  return { ...lab, close: () => lab.close().finally(() => remote.close()) };
}

/** Builds the create params from a preset id or an experiment file (overrides applied). */
async function createParams(
  experiment: string,
  options: RunOptions,
): Promise<CreateExperimentParams> {
  const isFile = experiment.endsWith('.json') || existsSync(experiment);
  if (!isFile) {
    return {
      preset: experiment,
      scale: options.scale,
      backend: options.backend,
      ...(options.dataset ? { dataset: options.dataset } : {}),
      ...(options.epochs ? { epochs: options.epochs } : {}),
      ...(options.seeds ? { seeds: options.seeds } : {}),
      ...(options.trainSubset ? { trainSubset: options.trainSubset } : {}),
      ...(options.validationSubset ? { validationSubset: options.validationSubset } : {}),
    };
  }
  let text: string;
  try {
    text = await readFile(experiment, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read experiment file ${experiment}: ${(error as Error).message}`);
  }
  let spec: Record<string, unknown>;
  try {
    spec = parseJsonText(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `experiment file ${experiment} is not valid JSON: ${describeJsonError(error, text)}`,
    );
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new CliError(`experiment file ${experiment} must hold a JSON object`);
  }
  if (options.dataset) spec.dataset = options.dataset;
  if (options.seeds) spec.seeds = options.seeds;
  const training = {
    ...(options.epochs ? { epochs: options.epochs } : {}),
    ...(options.trainSubset ? { trainSubset: options.trainSubset } : {}),
    ...(options.validationSubset ? { validationSubset: options.validationSubset } : {}),
  };
  if (Object.keys(training).length > 0)
    spec.training = { ...(spec.training as object | undefined), ...training };
  return { spec: spec as never, backend: options.backend };
}

/** `bnlab run <preset|file.json>` */
export async function runCommand(
  homeOption: string | undefined,
  experiment: string,
  options: RunOptions,
) {
  const home = resolveHome(homeOption);
  const params = await createParams(experiment, options);
  if ('spec' in params) validate(params.spec, experiment);
  const lab = await openLab(home, options.parallel, options.redis);
  try {
    const { experiment: record, runs } = await callLab(lab, 'experiments.create', params);
    process.stdout.write(
      `Experiment ${record.id}: ${runs.length} run(s) of ${record.spec.variants.length} variant(s) on ${record.spec.dataset}\n`,
    );
    const info = await callLab(lab, 'lab.info', {});
    process.stdout.write(`Training ${info.parallel} at once: ${info.parallelReason}\n`);
    const stoppedByUser = await trainWithProgress(lab, runs, () =>
      callLab(lab, 'experiments.stop', { id: record.id }),
    );
    const store = new RunStore(home);
    const data = await loadReportData(store, record.id);
    process.stdout.write(`\n${comparisonTable(data)}\n\n`);
    process.stdout.write(`Runs are stored in ${home}/runs/ (bnlab list, bnlab show <run-id>).\n`);
    if (options.report) {
      try {
        const result = await callLab(lab, 'reports.export', {
          experimentId: record.id,
          format: options.report,
        });
        process.stdout.write(`Report: ${result.path}\n`);
      } catch (error) {
        // PNG charts of runs that all ended before an epoch: the runs' exit code says the rest.
        if (!(error instanceof ApiError && error.code === 'conflict')) throw error;
        process.stderr.write(`bnlab: no report: ${error.message}\n`);
      }
    }
    process.exitCode = exitCodeFor(
      data.runs.map((r) => r.record),
      stoppedByUser,
    );
  } finally {
    await lab.close();
  }
}

/** `bnlab resume <run-id>` */
export async function resumeCommand(
  homeOption: string | undefined,
  runId: string,
  options: { redis?: string } = {},
) {
  const home = resolveHome(homeOption);
  const lab = await openLab(home, 1, options.redis);
  try {
    const run = await callLab(lab, 'runs.resume', { id: runId });
    process.stdout.write(
      `Resuming ${run.id} from epoch ${run.epochsCompleted} of ${run.training.epochs}\n`,
    );
    const stoppedByUser = await trainWithProgress(lab, [run], () =>
      callLab(lab, 'runs.stop', { id: runId }),
    );
    const final = await callLab(lab, 'runs.get', { id: runId });
    process.stdout.write(
      `${final.id}: ${final.status}, ${final.epochsCompleted}/${final.training.epochs} epochs, best val acc ${
        final.bestValAccuracy === null ? '—' : `${(final.bestValAccuracy * 100).toFixed(1)}%`
      }${final.error ? ` (${final.error})` : ''}\n`,
    );
    process.exitCode = exitCodeFor([final], stoppedByUser);
  } finally {
    await lab.close();
  }
}

/** Refuses an invalid experiment file before anything is created, naming every bad field. */
function validate(spec: unknown, file: string): void {
  const parsed = ExperimentSpec.safeParse(spec);
  if (!parsed.success)
    throw new CliError(`invalid experiment file ${file}: ${formatIssues(parsed.error)}`);
}

/** Shows progress until every run is done; returns true when the user pressed Ctrl-C. */
async function trainWithProgress(
  lab: Lab,
  runs: RunRecord[],
  stop: () => Promise<unknown>,
): Promise<boolean> {
  const progress = new RunProgress(runs);
  const unsubscribe = lab.subscribe((push) => {
    if (push.name === 'run.events') progress.onEvents(push.payload.runId, push.payload.events);
  });
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1) {
      process.stderr.write('\nStopping after the current batch (Ctrl-C again to kill)…\n');
      void stop().catch(() => undefined);
    } else {
      void lab.close();
    }
  };
  process.on('SIGINT', onSigint);
  try {
    await lab.idle();
  } finally {
    process.off('SIGINT', onSigint);
    unsubscribe();
    progress.stop();
  }
  return interrupts > 0;
}

function exitCodeFor(runs: readonly RunRecord[], stoppedByUser: boolean): number {
  if (stoppedByUser) return EXIT.interrupted;
  return runs.some((r) => r.status === 'failed' || r.status === 'interrupted')
    ? EXIT.runFailed
    : EXIT.ok;
}
