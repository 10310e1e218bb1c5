/**
 * Importing CIFAR-10 into the lab home from a folder of batch files or from the official
 * `cifar-10-binary.tar.gz`. Everything is staged in a temporary folder next to the destination,
 * fully validated, then swapped in with a rename: a failed import leaves the previous state intact
 * and nothing half-written.
 *
 * Checksum policy: an archive whose MD5 differs from the official one is still accepted when its
 * content validates (six batch files of whole, equal record counts, every label 0–9) — people
 * repack archives, and the record checks catch truncation — but the import returns a warning
 * saying so. The download path is strict instead: a downloaded file must match (see download).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CIFAR_FILES,
  CIFAR_OFFICIAL_RECORDS,
  CIFAR_RECORD_BYTES,
  cifarDir,
  readCifar10,
} from './cifar10.js';
import { extractTarGz, type ExtractLimits } from './tar-extract.js';

/** MD5 of the official https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz. */
export const CIFAR_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/** The folder inside the official archive. */
export const CIFAR_ARCHIVE_FOLDER = 'cifar-10-batches-bin';

/** Progress of an import or download; mirrors the `dataset.progress` push of the API. */
export interface DatasetProgress {
  readonly phase: 'download' | 'verify' | 'extract' | 'done' | 'error';
  readonly receivedBytes: number;
  readonly totalBytes: number | null;
  readonly message: string | null;
}
export type ProgressListener = (progress: DatasetProgress) => void;

export interface ImportResult {
  /** Where CIFAR-10 now lives: `<home>/datasets/cifar10`. */
  readonly location: string;
  readonly trainCount: number;
  readonly testCount: number;
  /** MD5 of the imported archive; null when imported from a folder. */
  readonly md5: string | null;
  /** Things the user should know, e.g. a checksum that differs from the official archive. */
  readonly warnings: readonly string[];
}

/** MD5 of a file, reporting `verify` progress as it reads. */
export async function fileMd5(file: string, onProgress?: ProgressListener): Promise<string> {
  const total = (await stat(file)).size;
  const hash = createHash('md5');
  let done = 0;
  let lastReport = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    if (onProgress && (done - lastReport >= 8 << 20 || done === total)) {
      lastReport = done;
      onProgress({
        phase: 'verify',
        receivedBytes: done,
        totalBytes: total,
        message: 'checking the MD5 checksum',
      });
    }
  }
  return hash.digest('hex');
}

/** The folder holding the batch files: `source` itself or its `cifar-10-batches-bin/`. */
async function findBatchFolder(source: string): Promise<string> {
  for (const candidate of [source, path.join(source, CIFAR_ARCHIVE_FOLDER)]) {
    const names = await readdir(candidate).catch(() => [] as string[]);
    if (CIFAR_FILES.some((f) => names.includes(f))) return candidate;
  }
  throw new Error(
    `${source} holds no CIFAR-10 batch files: expected ${CIFAR_FILES.join(', ')} ` +
      `(or a ${CIFAR_ARCHIVE_FOLDER}/ folder with them)`,
  );
}

/** A batch file of the official archive, the largest entry an import accepts. */
const BATCH_BYTES = CIFAR_OFFICIAL_RECORDS * CIFAR_RECORD_BYTES;
/** The unpacked official archive is ≈ 185 MB; anything far larger is not CIFAR-10. */
const MAX_UNPACKED_BYTES = 256 * 2 ** 20;
/** The official archive is ≈ 163 MB; a larger source is refused before it is read. */
const MAX_ARCHIVE_BYTES = 512 * 2 ** 20;

/**
 * Extracts only the six batch files (regular files, at the archive root or one folder down) into
 * `dest`; links, devices and other paths are never written, and sizes are bounded (see
 * tar-extract.ts). Returns the folder that holds them.
 */
async function extractBatches(
  archive: string,
  dest: string,
  limits: ExtractLimits,
  onProgress?: ProgressListener,
): Promise<string> {
  const folders = new Set<string>();
  const wanted = new Set<string>(CIFAR_FILES);
  await extractTarGz(archive, dest, {
    ...limits,
    pick: (parts, entry) => {
      const name = parts.at(-1) ?? '';
      const isFile = entry.type === 'File' || entry.type === 'OldFile';
      if (!isFile || parts.length > 2 || !wanted.has(name)) return null;
      folders.add(parts.length === 2 ? parts[0]! : '');
      onProgress?.({
        phase: 'extract',
        receivedBytes: 0,
        totalBytes: null,
        message: `extracting ${name}`,
      });
      return name;
    },
  });
  if (folders.size > 1) {
    throw new Error(
      `${path.basename(archive)} holds CIFAR-10 batch files in several folders: ${[...folders].join(', ')}`,
    );
  }
  return dest;
}

/** Replaces `target` by `staged` with renames; the old folder is restored if the swap fails. */
async function swapIn(staged: string, target: string): Promise<void> {
  const old = `${target}.old-${randomBytes(4).toString('hex')}`;
  let hadOld = false;
  try {
    await rename(target, old);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(staged, target);
  } catch (error) {
    if (hadOld) await rename(old, target);
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/**
 * Imports CIFAR-10 from `source` — a folder with the six `.bin` files (or with the archive's
 * `cifar-10-batches-bin/`), or a `cifar-10-binary.tar.gz` — into `<home>/datasets/cifar10`.
 * `expectedMd5` (default: the official checksum) decides the warning for archives; pass it to
 * make a mismatch fatal with `strictMd5`. `limits` (tests) lower the size bounds of an archive
 * (default: a batch file per entry, 256 MB unpacked). Throws naming the file that is missing or invalid.
 */
export async function importCifar10(
  source: string,
  home: string,
  onProgress?: ProgressListener,
  opts: { expectedMd5?: string; strictMd5?: boolean; limits?: ExtractLimits } = {},
): Promise<ImportResult> {
  const limits = opts.limits ?? { maxEntryBytes: BATCH_BYTES, maxTotalBytes: MAX_UNPACKED_BYTES };
  const expectedMd5 = opts.expectedMd5 ?? CIFAR_MD5;
  const target = cifarDir(home);
  const sourceStat = await stat(source).catch(() => {
    throw new Error(
      `${source} does not exist (expected a CIFAR-10 folder or cifar-10-binary.tar.gz)`,
    );
  });
  if (!sourceStat.isDirectory() && !sourceStat.isFile()) {
    // A device or a pipe (`/dev/zero`) would be read forever.
    throw new Error(`${source} is neither a file nor a folder; expected cifar-10-binary.tar.gz`);
  }
  if (sourceStat.isFile() && sourceStat.size > MAX_ARCHIVE_BYTES) {
    throw new Error(
      `${source} is ${Math.round(sourceStat.size / 2 ** 20)} MB, far more than cifar-10-binary.tar.gz (163 MB)`,
    );
  }
  const warnings: string[] = [];
  const datasets = path.dirname(target);
  await mkdir(datasets, { recursive: true });
  const staging = await mkdtemp(path.join(datasets, '.cifar10-import-'));
  try {
    const staged = path.join(staging, 'cifar10');
    await mkdir(staged);
    let md5: string | null = null;
    if (sourceStat.isDirectory()) {
      const from = await findBatchFolder(source);
      if ((await realpath(from)) === (await realpath(target).catch(() => ''))) {
        throw new Error(`${source} is already the lab's CIFAR-10 folder; nothing to import`);
      }
      for (const file of CIFAR_FILES) {
        const missing = () =>
          new Error(
            `${file} is missing from ${from} (a CIFAR-10 folder holds ${CIFAR_FILES.join(', ')})`,
          );
        const info = await stat(path.join(from, file)).catch(() => {
          throw missing();
        });
        // As for the source itself: a pipe would block the copy forever, a device never ends.
        if (!info.isFile()) {
          throw new Error(
            `${path.join(from, file)} is not a regular file (a pipe or a device); expected a CIFAR-10 batch file`,
          );
        }
        if (info.size > BATCH_BYTES) {
          throw new Error(
            `${path.join(from, file)} is ${info.size} bytes, more than a CIFAR-10 batch file`,
          );
        }
        await copyFile(path.join(from, file), path.join(staged, file)).catch(() => {
          throw missing();
        });
        onProgress?.({
          phase: 'extract',
          receivedBytes: 0,
          totalBytes: null,
          message: `copied ${file}`,
        });
      }
    } else {
      md5 = await fileMd5(source, onProgress);
      if (md5 !== expectedMd5) {
        const message = `${path.basename(source)} has MD5 ${md5}, not the official ${expectedMd5}`;
        if (opts.strictMd5)
          throw new Error(`${message}: the file is corrupt or not the official archive`);
        warnings.push(`${message}; its content was validated record by record and imported`);
      }
      const extractDir = path.join(staging, 'extract');
      await mkdir(extractDir);
      const from = await extractBatches(source, extractDir, limits, onProgress);
      for (const file of CIFAR_FILES) {
        await rename(path.join(from, file), path.join(staged, file)).catch(() => {
          throw new Error(
            `${file} is missing from ${path.basename(source)}: expected the binary version of CIFAR-10 ` +
              `(cifar-10-binary.tar.gz, with ${CIFAR_ARCHIVE_FOLDER}/), not the Python or MATLAB version`,
          );
        });
      }
    }
    onProgress?.({
      phase: 'verify',
      receivedBytes: 0,
      totalBytes: null,
      message: 'validating every record',
    });
    const { train, test } = await readCifar10(staged);
    await swapIn(staged, target);
    onProgress?.({
      phase: 'done',
      receivedBytes: 0,
      totalBytes: null,
      message: `CIFAR-10 imported into ${target}`,
    });
    return { location: target, trainCount: train.count, testCount: test.count, md5, warnings };
  } finally {
    // Every write above has settled by now (extractTarGz returns or throws only then), so this
    // cannot race one, and its own failure must not hide the error that brought us here.
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
