/** Shared set-up for the store tests: a temp lab home and a valid experiment input. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExperimentSpec, VariantSpec } from '../../../../main/api/config.js';
import type { Environment } from '../../../../main/api/records.js';
import {
  RunStore,
  type NewExperiment,
  type RunStoreOptions,
} from '../../../../main/store/index.js';

export const environment: Environment = {
  node: process.version,
  platform: process.platform,
  arch: process.arch,
  tfjsVersion: '4.22.0',
  appVersion: '0.1.0',
  hostname: 'test',
};

export function newExperiment(name = 'bn-simple'): NewExperiment {
  return {
    name,
    preset: 'bn-simple',
    scale: 'quick',
    spec: ExperimentSpec.parse({
      name,
      dataset: 'mnist',
      seeds: 2,
      variants: [{ name: 'bn-none' }, { name: 'bn-before', bn: 'before-activation' }],
    }),
    backendRequested: 'auto',
  };
}

export const variant = (name: string) => VariantSpec.parse({ name });

export interface TempStore {
  home: string;
  store: RunStore;
  warnings: string[];
  cleanup(): Promise<void>;
}

/** A store on a fresh temp home that collects its warnings. */
export async function tempStore(options: RunStoreOptions = {}): Promise<TempStore> {
  const home = await mkdtemp(path.join(tmpdir(), 'bnlab-store-'));
  const warnings: string[] = [];
  const store = new RunStore(home, { onWarning: (m) => warnings.push(m), ...options });
  return { home, store, warnings, cleanup: () => rm(home, { recursive: true, force: true }) };
}
