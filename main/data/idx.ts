/**
 * Reader for the IDX format of the original MNIST files (big-endian header: two zero bytes, a type
 * byte, the number of dimensions, then one uint32 per dimension; then the data). Only unsigned
 * bytes (type 0x08) are used by MNIST, so only those are accepted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const UBYTE = 0x08;

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Parses an IDX buffer; `name` is used in error messages. Throws on a bad magic number or size. */
export function parseIdx(buffer: Uint8Array, name: string): IdxArray {
  if (buffer.length < 4) {
    throw new Error(`${name}: ${buffer.length} bytes is too short for an IDX header`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const magic = view.getUint32(0);
  const type = buffer[2]!;
  const rank = buffer[3]!;
  if (buffer[0] !== 0 || buffer[1] !== 0 || type !== UBYTE || rank < 1 || rank > 4) {
    throw new Error(
      `${name}: magic number 0x${magic.toString(16).padStart(8, '0')} is not an unsigned-byte IDX file ` +
        `(expected 0x000008NN with 1–4 dimensions)`,
    );
  }
  const headerSize = 4 + 4 * rank;
  if (buffer.length < headerSize) {
    throw new Error(
      `${name}: ${buffer.length} bytes is too short for a ${rank}-dimensional IDX header`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d));
  const expected = headerSize + dims.reduce((a, b) => a * b, 1);
  if (buffer.length !== expected) {
    throw new Error(
      `${name}: ${buffer.length} bytes, expected ${expected} (header ${headerSize} + ${dims.join(' × ')} bytes)`,
    );
  }
  return { dims, data: buffer.subarray(headerSize) };
}

/**
 * Reads and parses one IDX file (gunzipped first when its name ends in `.gz`, as the packaged app
 * ships MNIST), checking it has the expected dimensions.
 */
export async function readIdxFile(file: string, expectedRank: number): Promise<IdxArray> {
  const name = path.basename(file);
  const bytes = await readFile(file);
  const parsed = parseIdx(file.endsWith('.gz') ? gunzipSync(bytes) : bytes, name);
  if (parsed.dims.length !== expectedRank) {
    throw new Error(`${name}: ${parsed.dims.length} dimensions, expected ${expectedRank}`);
  }
  return parsed;
}
