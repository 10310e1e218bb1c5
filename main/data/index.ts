/** The data layer's public API: datasets, their import and download, and per-step batches. */
export type { AugmentSeed, Batch, ImageSet, LoadOptions, LoadedDataset } from './types.js';
export { AUGMENT_PAD, epochOrder, makeBatch } from './batches.js';
export { SPLIT_SEED, datasetStatus, loadDataset } from './load.js';
export { CIFAR_CLASSES, CIFAR_FILES, cifarDir, readCifar10 } from './cifar10.js';
export { MNIST_CLASSES, readMnist } from './mnist.js';
export {
  CIFAR_MD5,
  importCifar10,
  type DatasetProgress,
  type ImportResult,
  type ProgressListener,
} from './cifar-import.js';
export { CIFAR_URL, downloadCifar10, type DownloadOptions } from './cifar-download.js';
