/**
 * A checkpoint (main/trainer/checkpoint.ts: `epoch-N/checkpoint.json` + `weights.bin`) as it
 * travels through Redis: one hash `{epoch, manifest, weights}`. Read from the trainer's folder on a
 * worker, written into a run's `checkpoints/` folder on the lab or on the worker that resumes.
 * File names are fixed here; only the epoch number (an integer, checked) comes from Redis.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { checkpointPath } from '../trainer/checkpoint.js';
import { MAX_CHECKPOINT_BYTES } from './protocol.js';

export interface CheckpointBlob {
  epoch: number;
  /** checkpoint.json's text; the trainer validates it when it resumes. */
  manifest: string;
  weights: Buffer;
}

/** Epoch N's checkpoint from a trainer's checkpoints folder. */
export async function readCheckpointFolder(dir: string, epoch: number): Promise<CheckpointBlob> {
  const folder = checkpointPath(dir, epoch);
  const [manifest, weights] = await Promise.all([
    readFile(path.join(folder, 'checkpoint.json'), 'utf8'),
    readFile(path.join(folder, 'weights.bin')),
  ]);
  return { epoch, manifest, weights };
}

/**
 * Writes `blob` as `<dir>/epoch-N/` (into a temporary folder, then renamed, as the trainer does)
 * and keeps only the latest two epochs, like the trainer.
 */
export async function writeCheckpointFolder(dir: string, blob: CheckpointBlob): Promise<void> {
  const target = checkpointPath(dir, assertEpoch(blob.epoch));
  const temp = `${target}.tmp-${process.pid}`;
  await mkdir(dir, { recursive: true });
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  await writeFile(path.join(temp, 'weights.bin'), blob.weights);
  await writeFile(path.join(temp, 'checkpoint.json'), blob.manifest);
  await rm(target, { recursive: true, force: true });
  await rename(temp, target);
  for (const name of await readdir(dir)) {
    const match = /^epoch-(\d+)$/.exec(name);
    if (match && Number(match[1]) <= blob.epoch - 2)
      await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

/** Hash fields of a checkpoint for `HSET`. */
export function checkpointFields(blob: CheckpointBlob): Record<string, string | Buffer> {
  return { epoch: String(blob.epoch), manifest: blob.manifest, weights: blob.weights };
}

/** The checkpoint kept under `key`, or null; throws naming the key when it is malformed. */
export async function fetchCheckpoint(redis: Redis, key: string): Promise<CheckpointBlob | null> {
  const [epoch, manifest, weights] = await redis.hmgetBuffer(key, 'epoch', 'manifest', 'weights');
  if (!epoch && !manifest && !weights) return null;
  if (!epoch || !manifest || !weights)
    throw new Error(`Redis key ${key}: an incomplete checkpoint`);
  if (weights.byteLength > MAX_CHECKPOINT_BYTES)
    throw new Error(`Redis key ${key}: a checkpoint over ${MAX_CHECKPOINT_BYTES} bytes`);
  return {
    epoch: assertEpoch(Number(epoch.toString('utf8'))),
    manifest: manifest.toString('utf8'),
    weights,
  };
}

/** The epoch number of a checkpoint kept under `key`, or 0 when there is none. */
export async function checkpointEpoch(redis: Redis, key: string): Promise<number> {
  const epoch = await redis.hget(key, 'epoch');
  return epoch === null ? 0 : assertEpoch(Number(epoch));
}

function assertEpoch(epoch: number): number {
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > 1_000_000)
    throw new Error(`a checkpoint epoch must be a positive integer, got ${epoch}`);
  return epoch;
}
