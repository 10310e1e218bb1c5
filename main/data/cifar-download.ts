/**
 * Downloading the official CIFAR-10 archive (≈163 MB) into the lab home: streamed to a `.part`
 * file while hashed, checked against the official MD5 (strict: a download that differs is
 * corrupt), then imported. Offline, it fails at once with what to do instead.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  CIFAR_MD5,
  importCifar10,
  type ImportResult,
  type ProgressListener,
} from './cifar-import.js';

export const CIFAR_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
/** A download that receives nothing for this long is abandoned. */
const IDLE_TIMEOUT_MS = 60_000;
/** Progress is reported at most every this many bytes (and at the end). */
const PROGRESS_EVERY_BYTES = 1 << 20;

export interface DownloadOptions {
  /** Where to download from (tests serve a small archive on 127.0.0.1). */
  readonly url?: string;
  /** MD5 the download must have; the official checksum by default. */
  readonly expectedMd5?: string;
  readonly signal?: AbortSignal;
}

function offlineError(url: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new Error(
    `could not reach ${new URL(url).host} (${why}) — download the file elsewhere (${url}) ` +
      'and run `bnlab data import <file>`',
  );
}

/**
 * Downloads CIFAR-10 from `opts.url` (default: the official URL) with `download` progress in
 * received/total bytes, verifies its MD5, imports it into `<home>/datasets/cifar10` and deletes
 * the archive. Throws when offline, on an HTTP error, on a checksum mismatch or an invalid archive.
 */
export async function downloadCifar10(
  home: string,
  onProgress: ProgressListener,
  opts: DownloadOptions = {},
): Promise<ImportResult> {
  const url = opts.url ?? CIFAR_URL;
  const expectedMd5 = opts.expectedMd5 ?? CIFAR_MD5;
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, idle.signal]) : idle.signal;
  const downloads = path.join(home, 'datasets');
  await mkdir(downloads, { recursive: true });
  const work = await mkdtemp(path.join(downloads, '.cifar10-download-'));
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      if (opts.signal?.aborted) throw new Error('download cancelled');
      throw offlineError(url, error);
    }
    if (!response.ok || !response.body) {
      throw new Error(
        `${new URL(url).host} answered ${response.status} ${response.statusText} for ${url}`,
      );
    }
    const lengthHeader = Number(response.headers.get('content-length'));
    const totalBytes = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : null;
    const archive = path.join(work, 'cifar-10-binary.tar.gz');
    const hash = createHash('md5');
    let received = 0;
    let reported = 0;
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
      hash.update(chunk);
      received += chunk.length;
      if (received - reported >= PROGRESS_EVERY_BYTES) {
        reported = received;
        onProgress({ phase: 'download', receivedBytes: received, totalBytes, message: null });
      }
    });
    try {
      await pipeline(body, createWriteStream(archive));
    } catch (error) {
      if (opts.signal?.aborted) throw new Error('download cancelled');
      throw new Error(
        `the download from ${url} broke off after ${received} bytes (${(error as Error).message}); try again`,
      );
    }
    onProgress({ phase: 'download', receivedBytes: received, totalBytes, message: null });
    if (totalBytes !== null && received !== totalBytes) {
      throw new Error(
        `the download from ${url} ended after ${received} of ${totalBytes} bytes; try again`,
      );
    }
    const md5 = hash.digest('hex');
    onProgress({ phase: 'verify', receivedBytes: received, totalBytes, message: `MD5 ${md5}` });
    if (md5 !== expectedMd5) {
      throw new Error(
        `the downloaded file has MD5 ${md5}, expected ${expectedMd5}: it is corrupt; try again`,
      );
    }
    return await importCifar10(archive, home, onProgress, { expectedMd5, strictMd5: true });
  } finally {
    clearTimeout(idleTimer);
    await rm(work, { recursive: true, force: true });
  }
}
