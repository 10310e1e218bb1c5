/**
 * Where the lab keeps its data: `--home DIR`, else `BNLAB_HOME`, else `~/.bnlab`.
 * The folder is created on first use.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Resolves and creates the lab home; returns its absolute path. */
export function resolveHome(option: string | undefined, env = process.env): string {
  const home = resolve(option ?? env.BNLAB_HOME ?? join(homedir(), '.bnlab'));
  mkdirSync(home, { recursive: true });
  return home;
}
