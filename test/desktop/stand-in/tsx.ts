/** `--import <tsx>` for Node processes that load the stand-in's TypeScript. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Node arguments that register tsx's loader, resolved from this package (not the cwd). */
export function tsxImport(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
