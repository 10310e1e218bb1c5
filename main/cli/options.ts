/**
 * Parsers for numeric command-line options. A number is written in decimal digits only
 * (`Number('0x10')` would read 16, `Number('1e2')` 100, `Number(' 5 ')` 5), then checked against
 * the same zod rule the experiment files and the API use, so each limit is stated once.
 */
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { Epochs, Seeds, SubsetImages } from '../api/config.js';

/** A TCP port to listen on. */
export const Port = z.int().min(1).max(65535);
/** A duration in milliseconds (worker lock and stalled-check intervals): 1 ms to a day. */
export const DurationMs = z.int().min(1).max(86_400_000);
/** Runs trained at once. */
export const Parallel = z.int().min(1).max(64);

/** A commander argument parser: decimal digits, then `schema`. */
export function integerOption(schema: z.ZodType<number>): (value: string) => number {
  return (value) => {
    if (!/^\d{1,10}$/.test(value))
      throw new InvalidArgumentError('expected a whole number in decimal digits');
    const parsed = schema.safeParse(Number(value));
    if (!parsed.success)
      throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'out of range');
    return parsed.data;
  };
}

export const epochsOption = integerOption(Epochs);
export const seedsOption = integerOption(Seeds);
export const subsetOption = integerOption(SubsetImages);
export const portOption = integerOption(Port);
export const parallelOption = integerOption(Parallel);
export const durationMsOption = integerOption(DurationMs);
