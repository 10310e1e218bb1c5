/**
 * Reading a packaged app without Electron: the file list of an app.asar (and which files live in
 * app.asar.unpacked), copying the archive's files out, and a folder's size.
 *
 * app.asar layout: a 16-byte header (uint32 LE at 4: size of the header pickle, at 12: length of
 * the JSON directory), the JSON directory, then the files' bytes; a file's `offset` counts from the
 * end of the header pickle (8 + its size). Files marked `unpacked` sit in app.asar.unpacked.
 */
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PackagedFile } from './package-rules.js';

interface AsarEntry {
  readonly files?: Record<string, AsarEntry>;
  readonly size?: number;
  readonly offset?: string;
  readonly unpacked?: boolean;
  readonly link?: string;
}
const AsarEntry: z.ZodType<AsarEntry> = z.lazy(() =>
  z.object({
    files: z.record(z.string(), AsarEntry).optional(),
    size: z.number().optional(),
    offset: z.string().optional(),
    unpacked: z.boolean().optional(),
    link: z.string().optional(),
  }),
);

interface AsarFile extends PackagedFile {
  readonly size: number;
  readonly offset: number;
}

function readAsar(archive: string): { files: AsarFile[]; bytes: Buffer; dataStart: number } {
  const bytes = readFileSync(archive);
  const pickleSize = bytes.readUInt32LE(4);
  const jsonLength = bytes.readUInt32LE(12);
  const root = AsarEntry.parse(JSON.parse(bytes.subarray(16, 16 + jsonLength).toString('utf8')));
  const files: AsarFile[] = [];
  const walk = (entry: AsarEntry, prefix: string): void => {
    for (const [name, child] of Object.entries(entry.files ?? {})) {
      const at = prefix === '' ? name : `${prefix}/${name}`;
      if (child.files) walk(child, at);
      else if (child.link === undefined)
        files.push({
          path: at,
          unpacked: child.unpacked === true,
          size: child.size ?? 0,
          offset: Number(child.offset ?? 0),
        });
    }
  };
  walk(root, '');
  return { files, bytes, dataStart: 8 + pickleSize };
}

/** Every file of the archive, with whether it lives in app.asar.unpacked. */
export function listAsar(archive: string): PackagedFile[] {
  return readAsar(archive).files.map(({ path: file, unpacked }) => ({ path: file, unpacked }));
}

/** Copies every file of the archive (unpacked ones from beside it) into `target`. */
export function extractAsar(archive: string, target: string): void {
  const { files, bytes, dataStart } = readAsar(archive);
  for (const file of files) {
    const destination = path.join(target, file.path);
    mkdirSync(path.dirname(destination), { recursive: true });
    if (file.unpacked) copyFileSync(path.join(`${archive}.unpacked`, file.path), destination);
    else
      writeFileSync(
        destination,
        bytes.subarray(dataStart + file.offset, dataStart + file.offset + file.size),
      );
  }
}

/** Bytes of every file under `dir`. */
export function folderSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return total + folderSize(at);
    return total + (entry.isFile() ? statSync(at).size : 0);
  }, 0);
}
