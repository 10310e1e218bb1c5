/**
 * Epoch checkpoints: `<dir>/epoch-<N>/` holding `checkpoint.json` (what each tensor is, where it
 * lies in the blob, and the loop's position) and `weights.bin` (the tensors' bytes, little-endian
 * float32/int32). Written into a temporary folder and renamed, so a folder named `epoch-N` is always
 * complete. Holds every trainable variable, the BN moving statistics and the optimizer state.
 */
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { Model } from './models/types.js';
import type { NamedTensor } from './optimizer.js';
import type { Trainer } from './train-step.js';

const CHECKPOINT_FORMAT = 'bnlab-checkpoint-v1';
const KEEP = 2;

const TensorEntry = z.strictObject({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
  offset: z.int().nonnegative(),
});
type TensorEntry = z.infer<typeof TensorEntry>;

const Manifest = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  epoch: z.int().positive(),
  /** Optimizer steps taken so far (the next step's index). */
  globalStep: z.int().nonnegative(),
  variables: z.array(TensorEntry),
  moving: z.array(TensorEntry),
  optimizer: z.array(TensorEntry),
});
export type CheckpointManifest = z.infer<typeof Manifest>;

/** Folder of epoch N's checkpoint. */
export function checkpointPath(dir: string, epoch: number): string {
  return path.join(dir, `epoch-${epoch}`);
}

/** Writes epoch `epoch`'s checkpoint atomically, then deletes all but the latest two. */
export async function saveCheckpoint(
  dir: string,
  epoch: number,
  globalStep: number,
  model: Model,
  trainer: Trainer,
): Promise<void> {
  const optimizerState = await trainer.saveState();
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const pack = async (named: readonly NamedTensor[]): Promise<TensorEntry[]> => {
    const entries: TensorEntry[] = [];
    for (const { name, tensor } of named) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
        throw new Error(`checkpoint: tensor ${name} has unsupported dtype ${tensor.dtype}`);
      }
      const data = (await tensor.data()) as Float32Array | Int32Array;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      entries.push({ name, shape: tensor.shape, dtype: tensor.dtype, offset });
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
    return entries;
  };
  let manifest: CheckpointManifest;
  try {
    manifest = {
      format: CHECKPOINT_FORMAT,
      epoch,
      globalStep,
      variables: await pack(model.trainable.map((v) => ({ name: v.name, tensor: v.variable }))),
      moving: await pack(model.movingStatistics.map((v) => ({ name: v.name, tensor: v.variable }))),
      optimizer: await pack(optimizerState),
    };
  } finally {
    tf.dispose(optimizerState.map((s) => s.tensor));
  }
  await mkdir(dir, { recursive: true });
  const target = checkpointPath(dir, epoch);
  const temp = `${target}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  await writeSynced(path.join(temp, 'weights.bin'), Buffer.concat(chunks));
  await writeSynced(path.join(temp, 'checkpoint.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  await syncDir(temp);
  await rm(target, { recursive: true, force: true });
  await rename(temp, target);
  // The rename is durable only once the folder that holds it is synced.
  await syncDir(dir);
  await pruneCheckpoints(dir, epoch);
}

/** Writes `data` to `file` and fsyncs it, so a rename after it never exposes an empty file. */
async function writeSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a folder (its entries); a no-op where folders cannot be opened (Windows). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Deletes checkpoints older than the latest KEEP, and leftover temporary folders. */
async function pruneCheckpoints(dir: string, latest: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const match = /^epoch-(\d+)(\.tmp-\d+)?$/.exec(name);
    if (!match) continue;
    const epoch = Number(match[1]);
    if (match[2] !== undefined || epoch <= latest - KEEP) {
      if (match[2] !== undefined && name.endsWith(`.tmp-${process.pid}`)) continue;
      await rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

/**
 * Loads epoch `epoch`'s checkpoint into `model` and `trainer`. Throws, naming the file and the
 * tensor, when the checkpoint is missing, unreadable or does not fit this model.
 */
export async function loadCheckpoint(
  dir: string,
  epoch: number,
  model: Model,
  trainer: Trainer,
): Promise<CheckpointManifest> {
  const folder = checkpointPath(dir, epoch);
  const manifestFile = path.join(folder, 'checkpoint.json');
  let manifest: CheckpointManifest;
  let blob: Buffer;
  try {
    manifest = Manifest.parse(JSON.parse(await readFile(manifestFile, 'utf8')));
    blob = await readFile(path.join(folder, 'weights.bin'));
  } catch (error) {
    throw new Error(
      `cannot resume from epoch ${epoch}: ${manifestFile}: ${(error as Error).message}`,
    );
  }
  // Every tensor must lie inside the blob before anything is assigned: a short file leaves the
  // model as it was, so the caller can fall back to an older checkpoint.
  for (const entry of [...manifest.variables, ...manifest.moving, ...manifest.optimizer]) {
    const end = entry.offset + entry.shape.reduce((a, b) => a * b, 1) * 4;
    if (end > blob.byteLength) {
      throw new Error(`cannot resume from epoch ${epoch}: ${folder}/weights.bin is too short`);
    }
  }
  const read = (entry: TensorEntry): tf.Tensor => {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const end = entry.offset + size * 4;
    if (end > blob.byteLength)
      throw new Error(`${folder}: weights.bin is too short for ${entry.name}`);
    const copy = new Uint8Array(blob.subarray(entry.offset, end)).buffer;
    const values = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return tf.tensor(values, entry.shape, entry.dtype);
  };
  const assignAll = (entries: TensorEntry[], vars: Model['trainable'], what: string): void => {
    if (entries.length !== vars.length) {
      throw new Error(`${manifestFile}: ${entries.length} ${what}, this model has ${vars.length}`);
    }
    entries.forEach((entry, i) => {
      const v = vars[i]!;
      if (entry.name !== v.name || entry.shape.join('x') !== v.variable.shape.join('x')) {
        throw new Error(
          `${manifestFile}: ${entry.name} [${entry.shape.join(', ')}] does not match ${v.name} [${v.variable.shape.join(', ')}]`,
        );
      }
    });
    entries.forEach((entry, i) => {
      const t = read(entry);
      vars[i]!.variable.assign(t);
      t.dispose();
    });
  };
  assignAll(manifest.variables, model.trainable, 'variables');
  assignAll(manifest.moving, model.movingStatistics, 'moving statistics');
  await trainer.loadState(
    manifest.optimizer.map((entry) => ({ name: entry.name, tensor: read(entry) })),
  );
  return manifest;
}

/**
 * Loads the newest checkpoint of epoch `atMost` or earlier that validates (manifest, blob size,
 * tensor names and shapes), so losing or damaging the latest one costs one epoch, not the run.
 * `onSkip` hears about each newer one passed over. Throws, naming every checkpoint tried, when
 * none validates.
 */
export async function loadNewestCheckpoint(
  dir: string,
  atMost: number,
  model: Model,
  trainer: Trainer,
  onSkip: (message: string) => void,
): Promise<CheckpointManifest> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const epochs = names
    .map((name) => /^epoch-(\d+)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter((n) => n >= 1 && n <= atMost)
    .sort((a, b) => b - a);
  // The requested epoch first even when its folder is gone, so the message names it.
  if (!epochs.includes(atMost)) epochs.unshift(atMost);
  const failures: string[] = [];
  for (const epoch of epochs) {
    try {
      const manifest = await loadCheckpoint(dir, epoch, model, trainer);
      for (const failure of failures) onSkip(`${failure}; resuming from epoch ${epoch} instead`);
      return manifest;
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(failures.join('; '));
}
