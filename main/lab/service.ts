/**
 * The lab service: one `LabHandlers` object that the Electron IPC adapter, the WebSocket server
 * and the CLI all serve (DESIGN §1). It owns the run store, the run manager and the pushes.
 */
import { join } from 'node:path';
import { describeIssues, ExperimentSpec, type BackendChoice } from '../api/config.js';
import {
  ApiError,
  type CreateExperimentParams,
  type LabHandlers,
  type LabPush,
} from '../api/contract.js';
import type { TrainerEvent } from '../api/events.js';
import type { BackendStatus, ExperimentRecord, RunRecord } from '../api/records.js';
import { datasetStatus } from '../data/index.js';
import { RunStore } from '../store/index.js';
import { thinProgress } from '../store/progress-sample.js';
import { forkLauncher } from '../trainer/launcher.js';
import {
  describeChoice,
  probeBackendsIsolated,
  rowForChoice,
} from '../trainer/backends/probe-isolated.js';
import { machineParallelism, parallelSetting } from './parallelism.js';
import { datasetHandlers } from './dataset-handlers.js';
import { APP_VERSION, currentEnvironment } from './environment.js';
import { summarizeExperiment } from './experiment-summary.js';
import { presetSpec, listPresets } from './presets.js';
import { PushBatcher } from './push-batcher.js';
import { compareReportHandler, comparisonHandler, reportHandler } from './report-handler.js';
import { RunManager } from './run-manager.js';
import { TrainerSource } from './trainer-source.js';
import type { Lab, LabOptions } from './types.js';

/** Opens the lab at `options.home`: marks runs whose trainer died as interrupted, then serves. */
export async function createLab(options: LabOptions): Promise<Lab> {
  const { home } = options;
  const store = new RunStore(home);
  await store.recoverInterrupted();
  const listeners = new Set<(push: LabPush) => void>();
  const emit = (push: LabPush) => {
    for (const listener of listeners) listener(push);
  };
  const batcher = new PushBatcher(options.pushIntervalMs ?? 250, (runId, events) =>
    emit({ name: 'run.events', payload: { runId, events } }),
  );
  const parallelism = machineParallelism(options.parallel);
  // Where new runs train: fixed by the command line, or the saved setting (the Settings view).
  const source: TrainerSource = new TrainerSource({
    home,
    localLauncher: options.launcher ?? forkLauncher,
    localParallelism: parallelism,
    parallelFixed: options.parallel !== undefined || parallelSetting() !== undefined,
    setParallel: (decision) => manager.setParallel(decision.parallel, decision.tail),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.queueUrl ? { fixedRedisUrl: options.queueUrl } : {}),
  });
  const manager = new RunManager({
    store,
    home,
    launcher: source.launcher,
    parallel: parallelism.parallel,
    tail: parallelism.tail,
    onEvent: (runId: string, event: TrainerEvent) => batcher.add(runId, event),
    onRunUpdated: (run: RunRecord) => emit({ name: 'run.updated', payload: { run } }),
  });
  let backends: Promise<BackendStatus[]> | null = null;
  // Probed in short-lived child processes: no native package or CUDA in this (maybe Electron
  // main) process. The desktop app probes webgpu/webgl in its own trainer window.
  const backendStatus = () => (backends ??= probeBackendsIsolated(options.probeGpu));

  const createExperiment = async (params: CreateExperimentParams & { backend: BackendChoice }) => {
    const preset = 'preset' in params ? params : null;
    const spec = preset
      ? presetSpecOrThrow(preset.preset, {
          scale: preset.scale ?? 'quick',
          dataset: preset.dataset,
          epochs: preset.epochs,
          seeds: preset.seeds,
          trainSubset: preset.trainSubset,
          validationSubset: preset.validationSubset,
        })
      : ExperimentSpec.parse((params as { spec: unknown }).spec);
    await assertDatasetReady(home, spec.dataset);
    // `auto` takes whatever the trainer finds: no need to wait for every backend's probe (a
    // Chromium launch among them, minutes on a busy machine) before the runs are queued.
    if (params.backend !== 'auto') assertBackendUsable(await backendStatus(), params.backend);
    const experiment = await store.createExperiment({
      name: spec.name,
      preset: preset?.preset ?? null,
      scale: preset ? (preset.scale ?? 'quick') : null,
      spec,
      backendRequested: params.backend,
    });
    const environment = currentEnvironment();
    const runs: RunRecord[] = [];
    for (const variant of spec.variants) {
      for (let s = 0; s < spec.seeds; s++) {
        runs.push(
          await store.createRun(experiment, {
            variant,
            seed: spec.baseSeed + s,
            environment,
          }),
        );
      }
    }
    const saved = await store.getExperiment(experiment.id);
    emit({ name: 'experiment.updated', payload: { experimentId: saved.id, deleted: false } });
    await source.ready();
    for (const run of runs) manager.enqueue(run);
    return { experiment: saved, runs };
  };

  const runsOf = async (experiment: ExperimentRecord) =>
    (await store.listRuns()).filter((r) => r.experimentId === experiment.id);

  const handlers: LabHandlers = {
    'lab.info': async () => {
      const statuses = await backendStatus();
      const auto = rowForChoice(statuses, 'auto');
      return {
        appVersion: APP_VERSION,
        home,
        mode: options.mode,
        backends: statuses,
        autoBackend: 'row' in auto ? auto.row.name : 'none',
        autoBackendReason: 'row' in auto ? describeChoice(auto) : 'no backend is available',
        parallel: manager.parallel,
        parallelReason: source.parallelism().reason,
      };
    },
    'presets.list': () => Promise.resolve(listPresets()),
    'experiments.list': async () => {
      const runs = await store.listRuns();
      return (await store.listExperiments()).map((e) =>
        summarizeExperiment(
          e,
          runs.filter((r) => r.experimentId === e.id),
        ),
      );
    },
    'experiments.get': async ({ id }) => {
      const experiment = await store.getExperiment(id);
      return { experiment, runs: await runsOf(experiment) };
    },
    'experiments.validate': ({ spec }) => {
      const parsed = ExperimentSpec.safeParse(spec);
      return Promise.resolve(
        parsed.success
          ? { ok: true as const, spec: parsed.data }
          : { ok: false as const, issues: describeIssues(parsed.error) },
      );
    },
    'experiments.create': createExperiment,
    'experiments.delete': async ({ id }) => {
      const experiment = await store.getExperiment(id);
      const runs = await runsOf(experiment);
      // Queued counts as busy: another live lab may be about to train it.
      const busy = runs.find(
        (r) => manager.isActive(r.id) || r.status === 'running' || r.status === 'queued',
      );
      if (busy) {
        throw new ApiError(
          'conflict',
          `experiment ${id} still has run ${busy.id} ${busy.status}; stop it first`,
        );
      }
      await store.deleteExperiment(id);
      emit({ name: 'experiment.updated', payload: { experimentId: id, deleted: true } });
      return { ok: true as const };
    },
    'experiments.stop': async ({ id }) => {
      const experiment = await store.getExperiment(id);
      const active = (await runsOf(experiment)).filter(
        (run) => run.status === 'queued' || run.status === 'running',
      );
      // Every run is asked, even when one of them ended meanwhile and refuses.
      const outcomes = await Promise.allSettled(active.map((run) => manager.stop(run.id)));
      const refused = outcomes.filter((o) => o.status === 'rejected');
      if (refused.length === active.length && refused.length > 0) throw refused[0]!.reason;
      return { ok: true as const };
    },
    'runs.list': () => store.listRuns(),
    'runs.get': ({ id }) => store.getRun(id),
    'runs.events': async ({ id, kinds, maxProgress }) => {
      const events = await store.readEvents(id, kinds);
      return maxProgress === undefined ? events : thinProgress(events, maxProgress);
    },
    'runs.stop': async ({ id }) => {
      await manager.stop(id);
      return { ok: true as const };
    },
    'runs.resume': async ({ id }) => {
      await source.ready();
      return manager.resume(id);
    },
    'runs.delete': async ({ id }) => {
      const run = await store.getRun(id);
      if (manager.isActive(id) || run.status === 'running') {
        throw new ApiError('conflict', `run ${id} is ${run.status}; stop it first`);
      }
      await store.deleteRun(id);
      emit({
        name: 'experiment.updated',
        payload: { experimentId: run.experimentId, deleted: false },
      });
      return { ok: true as const };
    },
    ...datasetHandlers(home, options.hooks ?? {}, emit),
    'settings.get': () => source.view(),
    'settings.set': (params) => source.set(params),
    'settings.test': ({ redisUrl }) => source.test(redisUrl),
    'reports.export': reportHandler(
      store,
      join(home, 'reports'),
      options.hooks ?? {},
      options.mode === 'browser',
    ),
    'compare.get': comparisonHandler(store),
    'reports.compare': compareReportHandler(store, join(home, 'reports'), options.hooks ?? {}),
  };

  return {
    home,
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: () => manager.idle(),
    activeRuns: () => manager.activeCount,
    async close(reason = 'the lab was closed while the run was training') {
      await manager.close(reason);
      await source.close();
      batcher.flushAll();
      await store.close();
      listeners.clear();
    },
  };
}

function presetSpecOrThrow(id: string, overrides: Parameters<typeof presetSpec>[1]) {
  try {
    return presetSpec(id, overrides);
  } catch (error) {
    throw new ApiError('not-found', error instanceof Error ? error.message : String(error));
  }
}

async function assertDatasetReady(home: string, name: ExperimentSpec['dataset']): Promise<void> {
  const status = (await datasetStatus(home)).find((d) => d.name === name);
  if (!status?.available) {
    throw new ApiError(
      'unavailable',
      `${name} is not available: ${status?.detail ?? 'unknown dataset'}`,
    );
  }
}

function assertBackendUsable(statuses: BackendStatus[], choice: BackendChoice): void {
  const chosen = rowForChoice(statuses, choice);
  if ('why' in chosen) throw new ApiError('unavailable', chosen.why);
}
