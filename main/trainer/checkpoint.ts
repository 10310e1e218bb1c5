/**
 * Epoch checkpoints: `<dir>/epoch-<N>/` holding `checkpoint.json` (what each tensor is, where it
 * lies in the blob, and the loop's position) and `weights.bin` (the tensors' bytes, little-endian
 * float32/int32). Written into a temporary folder and renamed, so a folder named `epoch-N` is always
 * complete. Holds every trainable variable, the BN moving statistics and the optimizer state, as
 * plain arrays from the tensor engine, so a checkpoint is the same whichever backend wrote it.
 */
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EngineState, TensorEngine } from './engine/types.js';
import type { HostTensor } from './engine/wire-tensor.js';

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
  state: EngineState,
): Promise<void> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const pack = (tensors: readonly HostTensor[]): TensorEntry[] =>
    tensors.map(({ name, shape, dtype, data }) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const entry = { name, shape, dtype, offset };
      chunks.push(bytes);
      offset += bytes.byteLength;
      return entry;
    });
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    epoch,
    globalStep,
    variables: pack(state.variables),
    moving: pack(state.moving),
    optimizer: pack(state.optimizer),
  };
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
 * Reads epoch `epoch`'s checkpoint (the engine checks that it fits the model). Throws, naming the
 * file, when the checkpoint is missing, unreadable or torn.
 */
export async function loadCheckpoint(
  dir: string,
  epoch: number,
): Promise<{ manifest: CheckpointManifest; file: string; state: EngineState }> {
  const folder = checkpointPath(dir, epoch);
  const file = path.join(folder, 'checkpoint.json');
  let manifest: CheckpointManifest;
  let blob: Buffer;
  try {
    manifest = Manifest.parse(JSON.parse(await readFile(file, 'utf8')));
    blob = await readFile(path.join(folder, 'weights.bin'));
  } catch (error) {
    throw new Error(`cannot resume from epoch ${epoch}: ${file}: ${(error as Error).message}`);
  }
  const read = (entry: TensorEntry): HostTensor => {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const end = entry.offset + size * 4;
    if (end > blob.byteLength)
      throw new Error(
        `cannot resume from epoch ${epoch}: ${folder}/weights.bin is too short for ${entry.name}`,
      );
    const copy = new Uint8Array(blob.subarray(entry.offset, end)).buffer;
    const data = entry.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: entry.name, shape: entry.shape, dtype: entry.dtype, data };
  };
  const state = {
    variables: manifest.variables.map(read),
    moving: manifest.moving.map(read),
    optimizer: manifest.optimizer.map(read),
  };
  return { manifest, file, state };
}

/**
 * Loads into `engine` the newest checkpoint of epoch `atMost` or earlier that validates (manifest,
 * blob size, tensor names and shapes — the engine checks every one before assigning any), so
 * losing or damaging the latest one costs one epoch, not the run. `onSkip` hears about each newer
 * one passed over. Throws, naming every checkpoint tried, when none validates.
 */
export async function loadNewestCheckpoint(
  dir: string,
  atMost: number,
  engine: TensorEngine,
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
      const { manifest, file, state } = await loadCheckpoint(dir, epoch);
      await engine.loadState(state).catch((error: unknown) => {
        throw new Error(`cannot resume from epoch ${epoch}: ${file}: ${(error as Error).message}`);
      });
      for (const failure of failures) onSkip(`${failure}; resuming from epoch ${epoch} instead`);
      return manifest;
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(failures.join('; '));
}
