/** The facts about this machine and build recorded with every run (reports show them). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import type { Environment } from '../api/records.js';

const require = createRequire(import.meta.url);

function versionOf(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** This app's version, from package.json. */
export const APP_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** Node, OS, tfjs and app versions of this process. */
export function currentEnvironment(): Environment {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    tfjsVersion: versionOf('@tensorflow/tfjs-core'),
    appVersion: APP_VERSION,
    hostname: hostname(),
  };
}
