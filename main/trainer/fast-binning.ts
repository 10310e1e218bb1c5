/**
 * symlog-v1 binning of float32 values at table-lookup speed, giving exactly `symlogBin`'s answer.
 *
 * A float32's top 20 bits (sign, exponent, 11 mantissa bits) pin its magnitude to within 0.05 %;
 * the bins are ±15 % wide, so all but ~0.3 % of these 2^20 ranges lie inside one bin. The table
 * holds that bin, or FALLBACK for the ranges that straddle an edge (and NaN), where we call
 * `symlogBin` itself. Bins are monotone in |v|, so a range whose two ends share a bin is one bin.
 */
import { SYMLOG_BIN_COUNT, symlogBin } from '../api/histogram.js';

const SHIFT = 12;
const FALLBACK = -2;
let table: Int16Array | null = null;

function binTable(): Int16Array {
  if (table) return table;
  const entries = 1 << (32 - SHIFT);
  const t = new Int16Array(entries);
  const bits = new Uint32Array(1);
  const value = new Float32Array(bits.buffer);
  for (let key = 0; key < entries; key++) {
    bits[0] = key << SHIFT;
    const lo = value[0]!;
    bits[0] = (key << SHIFT) | ((1 << SHIFT) - 1);
    const hi = value[0]!;
    const a = Number.isNaN(lo) ? FALLBACK : symlogBin(lo);
    const b = Number.isNaN(hi) ? FALLBACK : symlogBin(hi);
    t[key] = a === b ? a : FALLBACK;
  }
  table = t;
  return t;
}

/**
 * Counts per bin, with underflow at index 0, bin i at i + 1 and overflow at SYMLOG_BIN_COUNT + 1.
 * `transform` (optional) maps each value first (an activation function); NaNs are skipped and
 * returned as `skipped`. `zeros` counts exact zeros after the transform, `nonPositive` values ≤ 0.
 */
export function binValues(
  values: Float32Array,
  transform?: (v: number) => number,
): { counts: Float64Array; zeros: number; nonPositive: number; skipped: number } {
  const t = binTable();
  const counts = new Float64Array(SYMLOG_BIN_COUNT + 2);
  let zeros = 0;
  let nonPositive = 0;
  let skipped = 0;
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < values.length; i++) {
    let key: number;
    let v: number;
    if (transform) {
      scratch[0] = transform(values[i]!);
      v = scratch[0];
      key = scratchBits[0]! >>> SHIFT;
    } else {
      v = values[i]!;
      key = bits[i]! >>> SHIFT;
    }
    let bin = t[key]!;
    if (bin === FALLBACK) {
      if (Number.isNaN(v)) {
        skipped++;
        continue;
      }
      bin = symlogBin(v);
    }
    if (v <= 0) {
      nonPositive++;
      if (v === 0) zeros++;
    }
    counts[bin + 1]!++;
  }
  return { counts, zeros, nonPositive, skipped };
}
