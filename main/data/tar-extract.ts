/**
 * Extracting chosen files from a `.tar.gz` with bounds: every entry's size and the whole
 * unpacked stream are limited before a byte is written, paths in the archive never become paths
 * on disk (only the chosen names are written, under `dest`), and the function returns or throws
 * only after every file it opened is closed — so the caller may delete `dest` at once.
 *
 * Why not `tar.x`: its writes are still pending when it rejects, so a clean-up right after
 * races them (`ENOTEMPTY … rmdir`, half-written files), and it has no size limit.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';

export interface ExtractLimits {
  /** Largest entry accepted, in bytes (as its header announces it). */
  readonly maxEntryBytes: number;
  /** Largest unpacked archive accepted, in bytes (headers and skipped entries included). */
  readonly maxTotalBytes: number;
}

export interface ExtractOptions extends ExtractLimits {
  /** The name to write an entry under (a plain file name), or null to skip it. */
  pick(parts: readonly string[], entry: ReadEntry): string | null;
}

/** A failure of the archive itself; its message names the archive and what is wrong. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Extracts the entries `pick` chooses from the gzip'd tar `archive` into `dest` (which exists).
 * Returns the written names with the archive paths they came from. Throws `ArchiveError` for a
 * truncated, oversized, unsafe or unreadable archive, once every write has settled.
 */
export async function extractTarGz(
  archive: string,
  dest: string,
  options: ExtractOptions,
): Promise<Map<string, string>> {
  const label = path.basename(archive);
  const written = new Map<string, string>();
  const writes: Promise<void>[] = [];
  const active = new Set<ReadEntry>();
  let failure: Error | null = null;
  let announced = 0;
  let signalFailure = () => {};
  const failed = new Promise<void>((resolve) => (signalFailure = resolve));
  const fail = (error: Error) => {
    failure ??= error;
    signalFailure();
    // Ends the writers still waiting for data, so that their files close.
    for (const entry of active) entry.destroy();
  };
  const parser = new Parser({ strict: true });
  parser.on('error', (error: Error) => fail(readError(label, error)));
  // After the end-of-archive blocks the parser only buffers what follows (quadratically), so
  // the rest of the stream is counted against the bound but no longer parsed.
  let sawEnd = false;
  parser.on('eof', () => (sawEnd = true));
  parser.on('entry', (entry: ReadEntry) => {
    const parts = entry.path.split('/').filter((p) => p !== '' && p !== '.');
    announced += entry.size;
    if (failure) return entry.resume();
    if (path.isAbsolute(entry.path) || parts.includes('..')) {
      fail(new ArchiveError(`${label} holds an entry outside its folder (${safe(entry.path)})`));
    } else if (entry.size > options.maxEntryBytes) {
      fail(
        new ArchiveError(
          `${label}: entry ${safe(entry.path)} is ${entry.size} bytes, more than the ${options.maxEntryBytes} allowed`,
        ),
      );
    } else if (announced > options.maxTotalBytes) {
      fail(tooLarge(label, options.maxTotalBytes));
    }
    const name = failure ? null : options.pick(parts, entry);
    if (name === null || written.has(name)) return entry.resume();
    written.set(name, entry.path);
    active.add(entry);
    writes.push(writeEntry(entry, path.join(dest, name)).finally(() => active.delete(entry)));
  });

  await assertGzip(archive, label);
  const input = createReadStream(archive);
  // pipeline() destroys both streams on an error in either, so the loop below sees it.
  const gunzip = pipeline(input, createGunzip(), () => undefined);
  let unpacked = 0;
  try {
    for await (const chunk of gunzip) {
      const buffer = chunk as Buffer;
      unpacked += buffer.length;
      if (unpacked > options.maxTotalBytes) fail(tooLarge(label, options.maxTotalBytes));
      if (failure) break;
      if (sawEnd) continue;
      if (!parser.write(buffer)) {
        await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), failed]);
      }
      if (failure) break;
    }
    if (!failure) await Promise.race([new Promise<void>((resolve) => parser.end(resolve)), failed]);
    // A tar cut at a block boundary inside a gzip stream that ends cleanly: entries still wait.
    if ([...active].some((entry) => entry.remain > 0)) fail(truncated(label));
  } catch (error) {
    fail(readError(label, error as Error));
  } finally {
    gunzip.destroy();
    input.destroy();
  }
  const results = await Promise.allSettled(writes);
  if (failure) throw failure as Error;
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason as Error;
  return written;
}

/** Refuses a file that does not start like gzip (a .zip, a plain tar, anything else). */
async function assertGzip(archive: string, label: string): Promise<void> {
  const handle = await open(archive, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead < 2 || head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
      throw new ArchiveError(
        `${label} is not a .tar.gz archive; expected the official cifar-10-binary.tar.gz`,
      );
    }
  } finally {
    await handle.close();
  }
}

/** Writes one entry's data to `file` (created, never overwritten); closes it on every path. */
async function writeEntry(entry: ReadEntry, file: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    const chunks = entry[Symbol.asyncIterator]();
    // Checked before every read: an entry destroyed while a write was pending never ends.
    while (!entry.destroyed) {
      const { value, done } = await chunks.next();
      if (done) break;
      await handle.write(value);
    }
    if (entry.destroyed) throw new Error(`${file}: extraction stopped`);
  } finally {
    await handle.close();
  }
}

function readError(label: string, error: Error): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end|truncated/i.test(error.message)) {
    return truncated(label);
  }
  return new ArchiveError(
    `${label} is not a readable .tar.gz archive (${error.message.split('\n')[0]}); ` +
      'expected the official cifar-10-binary.tar.gz',
  );
}

function truncated(label: string): ArchiveError {
  return new ArchiveError(`${label} is truncated (an interrupted download?); fetch it again`);
}

function tooLarge(label: string, max: number): ArchiveError {
  return new ArchiveError(
    `${label} unpacks to more than ${Math.round(max / 2 ** 20)} MB, more than CIFAR-10 takes; refused`,
  );
}

/** An archive path for a message: printable ASCII only, at most 100 characters. */
function safe(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 100 ? `${clean.slice(0, 100)}…` : clean;
}
