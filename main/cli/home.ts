/**
 * Where the lab keeps its data: `--home DIR`, else `BNLAB_HOME`, else `~/.bnlab`.
 * The folder is created on first use.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, EXIT } from './errors.js';

/**
 * Resolves and creates the lab home; returns its absolute path. A home that is a file, a device
 * or not writable is refused with one line (exit 2) before anything is written.
 */
export function resolveHome(option: string | undefined, env = process.env): string {
  const home = resolve(option ?? env.BNLAB_HOME ?? join(homedir(), '.bnlab'));
  const refuse = (why: string) =>
    new CliError(`cannot use ${home} as the lab home: ${why} (see --home)`, EXIT.invalid);
  try {
    mkdirSync(home, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw refuse('it or a folder above it is a file');
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw refuse('not writable');
    throw refuse(code ?? 'cannot be created');
  }
  if (!statSync(home).isDirectory()) throw refuse('not a folder');
  try {
    accessSync(home, constants.W_OK | constants.X_OK);
  } catch {
    throw refuse('not writable');
  }
  return home;
}
