/**
 * Hand-built `.tar.gz` files that a tar library would refuse to write: entries whose headers
 * announce any size, paths that climb out of the folder, and long runs of zeros. Content is
 * streamed through gzip, so a "300 MB" archive costs a few hundred KB on disk.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

export interface HostileEntry {
  name: string;
  /** Bytes of content (zeros unless `content` is given). */
  size: number;
  content?: Uint8Array;
}

/** One ustar header block. */
export function tarHeader(name: string, size: number, type = '0'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name.slice(0, 100), 0, 'latin1');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148); // checksum field counts as spaces while summing
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function* tarBlocks(
  entries: readonly HostileEntry[],
  trailingZeroBytes: number,
): Generator<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  for (const entry of entries) {
    yield tarHeader(entry.name, entry.size);
    if (entry.content) yield Buffer.from(entry.content);
    else
      for (let left = entry.size; left > 0; left -= chunk.length)
        yield chunk.subarray(0, Math.min(left, chunk.length));
    const pad = (512 - (entry.size % 512)) % 512;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(1024); // end of archive
  for (let left = trailingZeroBytes; left > 0; left -= chunk.length)
    yield chunk.subarray(0, Math.min(left, chunk.length));
}

/** Writes `entries` as a gzip'd tar, then `trailingZeroBytes` more zeros inside the gzip stream. */
export async function writeHostileTarGz(
  file: string,
  entries: readonly HostileEntry[],
  trailingZeroBytes = 0,
): Promise<void> {
  await pipeline(
    Readable.from(tarBlocks(entries, trailingZeroBytes)),
    createGzip({ level: 1 }),
    createWriteStream(file),
  );
}
