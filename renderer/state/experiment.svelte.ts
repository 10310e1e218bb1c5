/**
 * One open experiment, live: its record, its runs, and each run's timeline. Pushed events are
 * queued and folded in at most every FLUSH_MS, so eight runs streaming at once cost a few state
 * replacements per second, not one per push. Series for the charts are `$derived` from the
 * timelines; timelines live in `$state.raw` and are replaced, never mutated.
 */
import type { ExperimentRecord, LabClient, RunRecord, TrainerEvent } from '../../main/api/index.js';
import { buildCurves, type VariantRuns } from '../lib/curves.js';
import type { RunBatches } from '../lib/batch-datasets.js';
import { MAX_BATCH_POINTS } from '../lib/batch-curve.js';
import { NO_KEYS, toggled } from '../lib/chart-export.js';
import { runsInMeans, runVerdict } from '../lib/learning.js';
import type { SeedRuns } from '../lib/seed-lines.js';
import { layerNames, probeEpochs, type VariantProbes } from '../lib/probe-series.js';
import { appendEvents, emptyTimeline, type RunTimeline } from '../lib/run-timeline.js';

const FLUSH_MS = 200;
/** Everything but per-batch progress (the run detail needs no per-batch curve). */
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
/**
 * The experiment view loads progress too, thinned on the server to the points a run's curve keeps
 * (lib/batch-curve.ts): a finished run then shows the same per-batch curve it showed live, at a
 * bounded cost (≤ MAX_BATCH_POINTS small events per run, whatever the run's length).
 */
const VIEW_KINDS = [...STORED_KINDS, 'progress'];

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
  batchesByRun = $state.raw<Record<string, RunTimeline['batches']>>({});
  loading = $state(true);
  error = $state<string | null>(null);
  deleted = $state(false);
  actionError = $state<string | null>(null);
  /**
   * Runs the user hid (the eye button in the runs list). Every chart input below leaves them out,
   * so curves, bands, histograms and dead-unit charts agree, and live updates cannot bring one
   * back: visibility is state, not a Chart.js legend flag.
   */
  hiddenRuns = $state.raw<ReadonlySet<string>>(NO_KEYS);

  readonly variants = $derived(this.experiment?.spec.variants.map((v) => v.name) ?? []);
  readonly runsByVariant = $derived(
    this.variants.map((variant) => ({
      variant,
      runs: this.runs.filter((r) => r.variant.name === variant),
    })),
  );
  /** runsByVariant without the hidden runs (a variant whose runs are all hidden keeps its slot). */
  readonly visibleByVariant = $derived(
    this.runsByVariant.map(({ variant, runs }) => ({
      variant,
      runs: runs.filter((r) => !this.hiddenRuns.has(r.id)),
    })),
  );
  /**
   * Visible runs only. Runs that did not learn stay out of the mean curves (all stay when none of
   * a variant's visible runs learned).
   */
  readonly curveInput = $derived<VariantRuns[]>(
    this.visibleByVariant.map(({ variant, runs }) => ({
      variant,
      epochsPerRun: runsInMeans(runs, (r) => this.epochsByRun[r.id] ?? []).map(
        (r) => this.epochsByRun[r.id] ?? [],
      ),
    })),
  );
  readonly lossCurves = $derived(buildCurves(this.curveInput, 'loss'));
  readonly accuracyCurves = $derived(buildCurves(this.curveInput, 'accuracy'));
  /** Every visible run on its own (per-seed lines), marked when it did not learn. */
  readonly seedInput = $derived<SeedRuns[]>(
    this.visibleByVariant.map(({ variant, runs }, index) => ({
      variant,
      index,
      runs: runs.map((r) => {
        const epochs = this.epochsByRun[r.id] ?? [];
        return {
          runId: r.id,
          seed: r.seed,
          learned: runVerdict(r, epochs)?.learned !== false,
          epochs,
        };
      }),
    })),
  );
  /** The per-batch training curve of every visible run. */
  readonly batchInput = $derived<RunBatches[]>(
    this.visibleByVariant.flatMap(({ variant, runs }, index) =>
      runs.map((r) => {
        const points = this.batchesByRun[r.id] ?? [];
        // A resumed run's startedAt is its last start: the wall-time axis starts at the first.
        const startMs = Math.min(
          r.startedAt ? Date.parse(r.startedAt) : Infinity,
          points[0]?.time ?? Infinity,
        );
        return {
          runId: r.id,
          variant,
          index,
          seed: r.seed,
          startMs: Number.isFinite(startMs) ? startMs : 0,
          points,
        };
      }),
    ),
  );
  /** Visible runs only: histograms, dead units and every probe chart respect the eye buttons. */
  readonly probeInput = $derived<VariantProbes[]>(
    this.visibleByVariant.map(({ variant, runs }) => ({
      variant,
      probesPerRun: runs.map((r) => this.probesByRun[r.id] ?? []),
    })),
  );
  /** Every run's probes: the layer and epoch lists stay put when all runs are hidden. */
  readonly #allProbes = $derived<VariantProbes[]>(
    this.runsByVariant.map(({ variant, runs }) => ({
      variant,
      probesPerRun: runs.map((r) => this.probesByRun[r.id] ?? []),
    })),
  );
  readonly layers = $derived(layerNames(this.#allProbes));
  readonly probeEpochs = $derived(probeEpochs(this.#allProbes));
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
              await this.client.call('runs.events', {
                id: r.id,
                kinds: VIEW_KINDS,
                maxProgress: MAX_BATCH_POINTS,
              }),
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
    if (ids.some((id) => next[id]?.batches !== this.batchesByRun[id])) {
      this.batchesByRun = Object.fromEntries(ids.map((id) => [id, next[id]?.batches ?? []]));
    }
    if (ids.some((id) => next[id]?.probes !== this.probesByRun[id])) {
      this.probesByRun = Object.fromEntries(ids.map((id) => [id, next[id]?.probes ?? []]));
    }
    this.timelines = next;
  }

  /** Whether a run's series are drawn (not hidden with its eye button). */
  isVisible(id: string): boolean {
    return !this.hiddenRuns.has(id);
  }

  /** Hides a shown run or shows a hidden one, in every chart of the view. */
  toggleRun(id: string): void {
    this.hiddenRuns = toggled(this.hiddenRuns, id);
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
