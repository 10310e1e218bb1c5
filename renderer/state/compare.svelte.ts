/**
 * The compare view's state: runs of any experiments, their setting differences (from the lab, the
 * same as the comparison report's) and their epochs, kept live by pushes while a run trains.
 */
import type { Comparison, EventOf, LabClient } from '../../main/api/index.js';
import { buildCurves, type VariantCurves } from '../lib/curves.js';

export class CompareState {
  comparison = $state.raw<Comparison | null>(null);
  /** Epoch summaries per run id, ascending by epoch. */
  epochs = $state.raw<Record<string, readonly EventOf<'epoch'>[]>>({});
  loading = $state(true);
  error = $state<string | null>(null);
  #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: LabClient,
    readonly runIds: readonly string[],
  ) {}

  /** Each run is its own curve (no mean across runs): run i gets colour i. */
  readonly lossCurves = $derived(this.#curves('loss'));
  readonly accuracyCurves = $derived(this.#curves('accuracy'));

  #curves(metric: 'loss' | 'accuracy'): VariantCurves[] {
    const labels = this.comparison?.runs.map((r) => r.label) ?? [];
    return buildCurves(
      this.runIds.map((id, i) => ({
        variant: labels[i] ?? id,
        epochsPerRun: [this.epochs[id] ?? []],
      })),
      metric,
    );
  }

  async open(): Promise<void> {
    this.close();
    this.#unsubscribe = [
      this.client.on('run.events', ({ runId, events }) => {
        if (!this.runIds.includes(runId)) return;
        const fresh = events.filter((e): e is EventOf<'epoch'> => e.kind === 'epoch');
        if (fresh.length > 0) this.#merge(runId, fresh);
      }),
    ];
    try {
      this.comparison = await this.client.call('compare.get', { runIds: [...this.runIds] });
      const lists = await Promise.all(
        this.runIds.map((id) => this.client.call('runs.events', { id, kinds: ['epoch'] })),
      );
      lists.forEach((events, i) =>
        this.#merge(
          this.runIds[i] ?? '',
          events.filter((e): e is EventOf<'epoch'> => e.kind === 'epoch'),
        ),
      );
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  /** One epoch per number (a resumed run's re-run epoch replaces the old one). */
  #merge(runId: string, events: EventOf<'epoch'>[]): void {
    let list = this.epochs[runId] ?? [];
    for (const e of events) list = [...list.filter((x) => x.epoch !== e.epoch), e];
    this.epochs = { ...this.epochs, [runId]: [...list].sort((a, b) => a.epoch - b.epoch) };
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }
}
