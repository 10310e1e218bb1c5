/**
 * Reading and writing the store's JSON records: validated on read (an error names the file and the
 * field), written atomically (temp file, fsync, rename — `write-file-atomic`) so a crash leaves
 * either the old or the new record, never half of one.
 */
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { describeIssues } from '../api/config.js';
import { describeJsonError } from '../api/json-error.js';
import { StoreError, hasCode } from './errors.js';

/** Reads `file` and validates it with `schema`; null when the file does not exist. */
export async function readRecord<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<z.output<S> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StoreError(
      'internal',
      `${file} is not valid JSON (${describeJsonError(error, text)})`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    const fields = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new StoreError('internal', `${file} is invalid: ${fields}`, issues);
  }
  return parsed.data;
}

/**
 * Writes `value` as pretty JSON to `file` atomically, fsynced before the rename; `mode` sets the
 * file's permissions (e.g. 0o600 for a file that holds a password).
 */
export async function writeRecord(
  file: string,
  value: unknown,
  { mode }: { mode?: number } = {},
): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, {
    fsync: true,
    ...(mode !== undefined ? { mode } : {}),
  });
}
