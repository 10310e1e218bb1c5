/** The `datasets.*` methods: status, CIFAR-10 download (progress pushed) and import. */
import { ApiError, type LabHandlers, type LabPush } from '../api/contract.js';
import { datasetStatus, downloadCifar10, importCifar10 } from '../data/index.js';
import type { LabHooks } from './types.js';

type DatasetHandlers = Pick<LabHandlers, 'datasets.list' | 'datasets.download' | 'datasets.import'>;

export function datasetHandlers(
  home: string,
  hooks: LabHooks,
  emit: (push: LabPush) => void,
): DatasetHandlers {
  let downloading = false;
  const progress = (
    phase: 'download' | 'verify' | 'extract' | 'done' | 'error',
    receivedBytes = 0,
    totalBytes: number | null = null,
    message: string | null = null,
  ) =>
    emit({
      name: 'dataset.progress',
      payload: { name: 'cifar10', phase, receivedBytes, totalBytes, message },
    });

  return {
    'datasets.list': () => datasetStatus(home),
    'datasets.download': () => {
      if (downloading) throw new ApiError('conflict', 'CIFAR-10 is already being downloaded');
      downloading = true;
      progress('download');
      downloadCifar10(home, (p) => progress(p.phase, p.receivedBytes, p.totalBytes ?? null, null))
        .then(() => progress('done'))
        .catch((error: unknown) =>
          progress('error', 0, null, error instanceof Error ? error.message : String(error)),
        )
        .finally(() => (downloading = false));
      return Promise.resolve({ ok: true as const });
    },
    'datasets.import': async () => {
      if (!hooks.chooseDatasetSource) {
        throw new ApiError(
          'unavailable',
          'importing needs the desktop app’s file dialog; on the machine running the lab, run `bnlab data import <cifar-10-binary.tar.gz or folder>`',
        );
      }
      const source = await hooks.chooseDatasetSource();
      if (!source) throw new ApiError('invalid-params', 'no file was chosen');
      await importCifar10(source, home);
      const status = (await datasetStatus(home)).find((d) => d.name === 'cifar10');
      if (!status) throw new ApiError('internal', 'CIFAR-10 status missing after import');
      return status;
    },
  };
}
