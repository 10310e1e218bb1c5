/**
 * CIFAR-10, official binary version: `data_batch_1..5.bin` and `test_batch.bin`, each record one
 * label byte then 3072 bytes — the R, G and B planes of a 32×32 image, each row-major. Decoded here
 * to uint8 NHWC (interleaved RGB), the layout the rest of the lab uses.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageSet } from './types.js';

export const CIFAR_SHAPE = { height: 32, width: 32, channels: 3 } as const;
export const CIFAR_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;
export const CIFAR_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
export const CIFAR_TEST_FILE = 'test_batch.bin';
export const CIFAR_FILES = [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE] as const;
const PIXELS = CIFAR_SHAPE.height * CIFAR_SHAPE.width;
export const CIFAR_RECORD_BYTES = 1 + 3 * PIXELS;
export const CIFAR_OFFICIAL_RECORDS = 10_000;
const OFFICIAL_SIZE = `${CIFAR_OFFICIAL_RECORDS * CIFAR_RECORD_BYTES} bytes (${CIFAR_OFFICIAL_RECORDS} records × ${CIFAR_RECORD_BYTES} bytes)`;

/** `<home>/datasets/cifar10`, where the lab reads CIFAR-10 from. */
export function cifarDir(home: string): string {
  return path.join(home, 'datasets', 'cifar10');
}

/**
 * Record count of a batch file from its size. The official files hold 10 000 records; smaller
 * files of whole records are accepted (tests and subsets), but every file of a folder must hold
 * the same number, so a file cut at a record boundary is still caught (see `checkCifarFolder`).
 */
export function recordsForSize(file: string, size: number): number {
  if (size === 0 || size % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `${file} is ${size} bytes, not whole CIFAR-10 records: expected ${OFFICIAL_SIZE} — the file is truncated or not a CIFAR-10 binary batch`,
    );
  }
  return size / CIFAR_RECORD_BYTES;
}

/** Decodes one batch file's bytes into NHWC images; `file` names it in errors. */
export function decodeCifarBatch(bytes: Uint8Array, file: string): ImageSet {
  const count = recordsForSize(file, bytes.length);
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * CIFAR_RECORD_BYTES;
    const label = bytes[base]!;
    if (label > 9) {
      throw new Error(
        `${file}: record ${r} (byte ${base}) has label ${label}; CIFAR-10 labels are 0–9`,
      );
    }
    labels[r] = label;
    const red = base + 1;
    const out = r * 3 * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      images[out + 3 * p] = bytes[red + p]!;
      images[out + 3 * p + 1] = bytes[red + PIXELS + p]!;
      images[out + 3 * p + 2] = bytes[red + 2 * PIXELS + p]!;
    }
  }
  return { images, labels, count };
}

/**
 * Checks that a folder holds the six batch files with whole, equal record counts, from file sizes
 * only. Returns the record count per file; throws naming the missing or wrong-size file.
 */
export async function checkCifarFolder(dir: string): Promise<number> {
  let perFile: number | null = null;
  let firstFile = '';
  for (const file of CIFAR_FILES) {
    let size: number;
    try {
      size = (await stat(path.join(dir, file))).size;
    } catch {
      throw new Error(
        `${file} is missing from ${dir} (a CIFAR-10 folder holds ${CIFAR_FILES.join(', ')})`,
      );
    }
    const records = recordsForSize(file, size);
    if (perFile === null) {
      perFile = records;
      firstFile = file;
    } else if (records !== perFile) {
      throw new Error(
        `${file} holds ${records} records but ${firstFile} holds ${perFile}: every batch file must be the same size ` +
          `(${OFFICIAL_SIZE} in the official set) — ${file} is probably truncated`,
      );
    }
  }
  return perFile ?? 0;
}

function concat(sets: readonly ImageSet[]): ImageSet {
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const s of sets) {
    images.set(s.images, at * 3 * PIXELS);
    labels.set(s.labels, at);
    at += s.count;
  }
  return { images, labels, count };
}

/** Reads and validates a CIFAR-10 folder: the five training batches joined, and the test batch. */
export async function readCifar10(dir: string): Promise<{ train: ImageSet; test: ImageSet }> {
  await checkCifarFolder(dir);
  const train: ImageSet[] = [];
  for (const file of CIFAR_TRAIN_FILES) {
    train.push(decodeCifarBatch(await readFile(path.join(dir, file)), file));
  }
  const test = decodeCifarBatch(await readFile(path.join(dir, CIFAR_TEST_FILE)), CIFAR_TEST_FILE);
  return { train: concat(train), test };
}
