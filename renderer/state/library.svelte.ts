/**
 * The Library: experiments with a roll-up of their runs, kept fresh by pushes; delete and import.
 */
import {
  ExperimentSpec,
  type ExperimentSummary,
  type LabClient,
  type RunRecord,
} from '../../main/api/index.js';
import { describeJsonError, parseJsonText } from '../../main/api/json-error.js';
import { MAX_FRAME_BYTES } from '../../main/api/ws-protocol.js';

/** Largest experiment file the Library imports: well inside one WebSocket frame. */
const MAX_EXPERIMENT_FILE_BYTES = MAX_FRAME_BYTES / 2;

export class LibraryState {
  experiments = $state.raw<ExperimentSummary[]>([]);
  runs = $state.raw<RunRecord[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  importError = $state<string | null>(null);
  importing = $state(false);

  #unsubscribe: (() => void)[] = [];
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly client: LabClient) {}

  async open(): Promise<void> {
    this.close();
    // Status changes arrive as pushes; reload the roll-up at most twice a second.
    const soon = () => {
      this.#reloadTimer ??= setTimeout(() => {
        this.#reloadTimer = null;
        void this.load();
      }, 500);
    };
    this.#unsubscribe = [
      this.client.on('run.updated', soon),
      this.client.on('experiment.updated', soon),
    ];
    await this.load();
  }

  async load(): Promise<void> {
    try {
      const [list, runs] = await Promise.all([
        this.client.call('experiments.list', {}),
        this.client.call('runs.list', {}),
      ]);
      this.experiments = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.runs = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.client.call('experiments.delete', { id });
      this.experiments = this.experiments.filter((e) => e.id !== id);
      this.runs = this.runs.filter((r) => r.experimentId !== id);
      this.error = null;
    } catch (error) {
      this.error = `Could not delete: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /**
   * Imports an experiment JSON file: parsed here, validated by the lab (`experiments.validate`),
   * then created. Returns the new experiment's id, or null with `importError` saying what was wrong.
   */
  async importFile(file: File): Promise<string | null> {
    this.importing = true;
    try {
      // An experiment file is a few KB; one near the frame limit could not travel to the lab
      // (browser mode drops the connection for an oversized frame), so it is refused here.
      if (file.size > MAX_EXPERIMENT_FILE_BYTES) {
        this.importError = `${file.name} is ${Math.round(file.size / 1024)} KB; an experiment file is at most ${MAX_EXPERIMENT_FILE_BYTES / 1024} KB`;
        return null;
      }
      let data: unknown;
      const text = await file.text();
      try {
        data = parseJsonText(text);
      } catch (error) {
        this.importError = `${file.name} is not valid JSON: ${describeJsonError(error, text)}`;
        return null;
      }
      const result = await this.client.call('experiments.validate', { spec: data });
      if (!result.ok) {
        this.importError = `${file.name} is not a valid experiment: ${result.issues
          .map((i) => `${i.path}: ${i.message}`)
          .join('; ')}`;
        return null;
      }
      const spec: ExperimentSpec = result.spec;
      const detail = await this.client.call('experiments.create', { spec });
      this.importError = null;
      return detail.experiment.id;
    } catch (error) {
      this.importError = `Import failed: ${error instanceof Error ? error.message : String(error)}`;
      return null;
    } finally {
      this.importing = false;
    }
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = null;
  }
}
