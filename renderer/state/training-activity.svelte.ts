/**
 * Whether the lab is training anything right now, for the status bar: the runs that are running
 * or queued, from `runs.list` once and then every `run.updated` push.
 */
import type { LabClient, RunRecord } from '../../main/api/index.js';

export class TrainingActivity {
  /** Run id → status, of every run the lab has told us about. */
  #statuses = $state.raw<Record<string, RunRecord['status']>>({});

  readonly running = $derived(Object.values(this.#statuses).filter((s) => s === 'running').length);
  readonly queued = $derived(Object.values(this.#statuses).filter((s) => s === 'queued').length);

  /** Starts following the client's runs; returns the function that stops it. */
  watch(client: LabClient): () => void {
    let live = true;
    const off = client.on('run.updated', ({ run }) => {
      this.#statuses = { ...this.#statuses, [run.id]: run.status };
    });
    client.call('runs.list', {}).then(
      (runs) => {
        if (!live) return;
        // Pushes that arrived during the call are newer than the list: they win.
        this.#statuses = {
          ...Object.fromEntries(runs.map((r) => [r.id, r.status])),
          ...this.#statuses,
        };
      },
      () => {
        // Unknown until the next push or reconnect: the bar then shows the idle text.
      },
    );
    return () => {
      live = false;
      off();
    };
  }
}
