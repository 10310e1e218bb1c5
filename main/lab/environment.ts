/** The facts about this machine and build recorded with every run (reports show them). */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import tfjsCorePackage from '@tensorflow/tfjs-core/package.json' with { type: 'json' };
import type { Environment } from '../api/records.js';

// Imported, not read at run time: the packaged app bundles tfjs, with no node_modules/@tensorflow.
const TFJS_VERSION = tfjsCorePackage.version;

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
    tfjsVersion: TFJS_VERSION,
    appVersion: APP_VERSION,
    hostname: hostname(),
  };
}
