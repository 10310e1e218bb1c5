/** One run's detail: its record and timeline, kept live by pushes. */
import type { LabClient, RunRecord } from '../../main/api/index.js';
import { appendEvents, emptyTimeline, type RunTimeline } from '../lib/run-timeline.js';
import { STORED_KINDS } from './experiment.svelte.js';

export class RunState {
  run = $state.raw<RunRecord | null>(null);
  timeline = $state.raw<RunTimeline>(emptyTimeline);
  loading = $state(true);
  error = $state<string | null>(null);
  #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: LabClient,
    readonly id: string,
  ) {}

  async open(): Promise<void> {
    this.close();
    this.#unsubscribe = [
      this.client.on('run.events', ({ runId, events }) => {
        if (runId === this.id) this.timeline = appendEvents(this.timeline, events);
      }),
      this.client.on('run.updated', ({ run }) => {
        if (run.id === this.id) this.run = run;
      }),
    ];
    try {
      const [run, events] = await Promise.all([
        this.client.call('runs.get', { id: this.id }),
        this.client.call('runs.events', { id: this.id, kinds: STORED_KINDS }),
      ]);
      this.run = run;
      this.timeline = appendEvents(this.timeline, events);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }
}
