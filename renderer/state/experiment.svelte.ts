/**
 * One open experiment, live: its record, its runs, and each run's timeline. Pushed events are
 * queued and folded in at most every FLUSH_MS, so eight runs streaming at once cost a few state
 * replacements per second, not one per push. Series for the charts are `$derived` from the
 * timelines; timelines live in `$state.raw` and are replaced, never mutated.
 */
import type { ExperimentRecord, LabClient, RunRecord, TrainerEvent } from '../../main/api/index.js';
import { buildCurves, type VariantRuns } from '../lib/curves.js';
import { runsInMeans } from '../lib/learning.js';
import { layerNames, probeEpochs, type VariantProbes } from '../lib/probe-series.js';
import { appendEvents, emptyTimeline, type RunTimeline } from '../lib/run-timeline.js';

const FLUSH_MS = 200;
/** Everything but per-batch progress, which only matters live. */
export const STORED_KINDS = [
  'started',
  'epoch',
  'probe',
  'log',
  'completed',
  'stopped',
  'diverged',
  'failed',
  'interrupted',
];

export class ExperimentState {
  experiment = $state.raw<ExperimentRecord | null>(null);
  runs = $state.raw<RunRecord[]>([]);
  timelines = $state.raw<Record<string, RunTimeline>>({});
  /**
   * Epoch and probe lists per run, replaced only when one of them changed: per-batch progress
   * (most pushes) then re-renders the runs table but not the charts.
   */
  epochsByRun = $state.raw<Record<string, RunTimeline['epochs']>>({});
  probesByRun = $state.raw<Record<string, RunTimeline['probes']>>({});
  loading = $state(true);
  error = $state<string | null>(null);
  deleted = $state(false);
  actionError = $state<string | null>(null);

  readonly variants = $derived(this.experiment?.spec.variants.map((v) => v.name) ?? []);
  readonly runsByVariant = $derived(
    this.variants.map((variant) => ({
      variant,
      runs: this.runs.filter((r) => r.variant.name === variant),
    })),
  );
  /** Runs that did not learn stay out of the mean curves (all stay when none of a variant learned). */
  readonly curveInput = $derived<VariantRuns[]>(
    this.runsByVariant.map(({ variant, runs }) => ({
      variant,
      epochsPerRun: runsInMeans(runs, (r) => this.epochsByRun[r.id] ?? []).map(
        (r) => this.epochsByRun[r.id] ?? [],
      ),
    })),
  );
  readonly lossCurves = $derived(buildCurves(this.curveInput, 'loss'));
  readonly accuracyCurves = $derived(buildCurves(this.curveInput, 'accuracy'));
  readonly probeInput = $derived<VariantProbes[]>(
    this.runsByVariant.map(({ variant, runs }) => ({
      variant,
      probesPerRun: runs.map((r) => this.probesByRun[r.id] ?? []),
    })),
  );
  readonly layers = $derived(layerNames(this.probeInput));
  readonly probeEpochs = $derived(probeEpochs(this.probeInput));
  readonly anyActive = $derived(
    this.runs.some((r) => r.status === 'queued' || r.status === 'running'),
  );

  // A private buffer between flushes, deliberately not reactive (flush() publishes it).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #queue = new Map<string, TrainerEvent[]>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: LabClient,
    readonly id: string,
  ) {}

  /** Subscribes to pushes, then loads the stored state (pushes that race the load are merged). */
  async open(): Promise<void> {
    this.close();
    this.#unsubscribe = [
      this.client.on('run.events', ({ runId, events }) => this.#enqueue(runId, events)),
      this.client.on('run.updated', ({ run }) => {
        if (run.experimentId !== this.id) return;
        const exists = this.runs.some((r) => r.id === run.id);
        this.runs = exists
          ? this.runs.map((r) => (r.id === run.id ? run : r))
          : [...this.runs, run];
      }),
      this.client.on('experiment.updated', ({ experimentId, deleted }) => {
        if (experimentId !== this.id) return;
        if (deleted) this.deleted = true;
        else void this.#loadRecord();
      }),
    ];
    await this.load();
  }

  /** (Re)loads the record, the runs and every run's stored events. */
  async load(): Promise<void> {
    this.loading = true;
    try {
      await this.#loadRecord();
      const entries = await Promise.all(
        this.runs.map(
          async (r) =>
            [
              r.id,
              await this.client.call('runs.events', { id: r.id, kinds: STORED_KINDS }),
            ] as const,
        ),
      );
      const next = { ...this.timelines };
      for (const [id, events] of entries)
        next[id] = appendEvents(next[id] ?? emptyTimeline, events);
      this.#publish(next);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  async #loadRecord(): Promise<void> {
    const detail = await this.client.call('experiments.get', { id: this.id });
    this.experiment = detail.experiment;
    this.runs = detail.runs;
  }

  #enqueue(runId: string, events: TrainerEvent[]): void {
    const list = this.#queue.get(runId) ?? [];
    list.push(...events);
    this.#queue.set(runId, list);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Folds every queued push into the timelines in one state replacement. */
  flush(): void {
    this.#timer = null;
    if (this.#queue.size === 0) return;
    const next = { ...this.timelines };
    for (const [runId, events] of this.#queue)
      next[runId] = appendEvents(next[runId] ?? emptyTimeline, events);
    this.#queue.clear();
    this.#publish(next);
  }

  /** Replaces the timelines, and the epoch/probe records only where a list changed. */
  #publish(next: Record<string, RunTimeline>): void {
    const ids = Object.keys(next);
    if (ids.some((id) => next[id]?.epochs !== this.epochsByRun[id])) {
      this.epochsByRun = Object.fromEntries(ids.map((id) => [id, next[id]?.epochs ?? []]));
    }
    if (ids.some((id) => next[id]?.probes !== this.probesByRun[id])) {
      this.probesByRun = Object.fromEntries(ids.map((id) => [id, next[id]?.probes ?? []]));
    }
    this.timelines = next;
  }

  async stopRun(id: string): Promise<void> {
    await this.#act(() => this.client.call('runs.stop', { id }));
  }

  async resumeRun(id: string): Promise<void> {
    await this.#act(async () => {
      const run = await this.client.call('runs.resume', { id });
      this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
    });
  }

  async stopAll(): Promise<void> {
    await this.#act(() => this.client.call('experiments.stop', { id: this.id }));
  }

  async #act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      this.actionError = null;
    } catch (error) {
      this.actionError = error instanceof Error ? error.message : String(error);
    }
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
