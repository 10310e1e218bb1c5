/**
 * Datasets: what is available, CIFAR-10 import (the lab chooses the file: a native dialog in
 * Electron; in browser mode the server explains itself) and download with pushed progress.
 */
import type { DatasetStatus, LabClient, PushOf } from '../../main/api/index.js';

export class DatasetsState {
  datasets = $state.raw<DatasetStatus[]>([]);
  loading = $state(true);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  progress = $state.raw<PushOf<'dataset.progress'> | null>(null);
  busy = $state(false);

  readonly progressFraction = $derived(
    this.progress?.totalBytes ? this.progress.receivedBytes / this.progress.totalBytes : null,
  );

  #unsubscribe: (() => void) | null = null;

  constructor(private readonly client: LabClient) {}

  async open(): Promise<void> {
    this.close();
    this.#unsubscribe = this.client.on('dataset.progress', (p) => {
      this.progress = p;
      if (p.phase === 'done') void this.load();
      if (p.phase === 'error') this.error = p.message ?? 'the download failed';
    });
    await this.load();
  }

  async load(): Promise<void> {
    try {
      this.datasets = await this.client.call('datasets.list', {});
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  async importCifar(): Promise<void> {
    this.busy = true;
    try {
      const status = await this.client.call('datasets.import', { name: 'cifar10' });
      this.message = status.available ? `CIFAR-10 imported: ${status.detail}` : status.detail;
      this.error = null;
      await this.load();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  async downloadCifar(): Promise<void> {
    this.busy = true;
    try {
      await this.client.call('datasets.download', { name: 'cifar10' });
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}
