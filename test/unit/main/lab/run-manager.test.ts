import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import { isTerminal, type TrainerEvent } from '../../../../main/api/events.js';
import type { RunRecord } from '../../../../main/api/records.js';
import { currentEnvironment } from '../../../../main/lab/environment.js';
import { RunManager } from '../../../../main/lab/run-manager.js';
import { RunStore } from '../../../../main/store/index.js';
import type { TrainerLauncher } from '../../../../main/trainer/launcher.js';
import { scriptLauncher } from '../../../helpers/script-launcher.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

let home: string;
let store: RunStore;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-manager-'));
  store = new RunStore(home, { onWarning: () => undefined });
});
afterEach(async () => {
  await store.close();
  await rm(home, { recursive: true, force: true });
});

async function queuedRun(): Promise<RunRecord> {
  const spec = ExperimentSpec.parse(tinyExperiment({}, [{ name: 'solo', width: 0.0625 }]));
  const experiment = await store.createExperiment({
    name: spec.name,
    preset: null,
    scale: null,
    spec,
    backendRequested: 'auto',
  });
  return store.createRun(experiment, {
    variant: spec.variants[0]!,
    seed: 1,
    environment: currentEnvironment(),
  });
}

function manager(launcher: TrainerLauncher, events: TrainerEvent[]): RunManager {
  return new RunManager({
    store,
    home,
    launcher,
    parallel: 1,
    onEvent: (_, event) => events.push(event),
    onRunUpdated: () => undefined,
  });
}

describe('RunManager', () => {
  it('records a trainer that cannot start as failed, never left running', async () => {
    const events: TrainerEvent[] = [];
    const m = manager(() => {
      throw new Error('spawn EACCES');
    }, events);
    const run = await queuedRun();
    m.enqueue(run);
    await m.idle();
    const stored = await store.getRun(run.id);
    expect(stored).toMatchObject({ status: 'failed', pid: null });
    expect(stored.error).toMatch(/EACCES/);
    expect((await store.readEvents(run.id)).map((e) => e.kind)).toEqual(['failed']);
  });

  it('applies a stop that arrives while the trainer is starting, with exactly one terminal event', async () => {
    const events: TrainerEvent[] = [];
    const m = manager(scriptLauncher('polite', { POLITE_WAIT: '1' }), events);
    const run = await queuedRun();
    m.enqueue(run); // the job leaves the queue at once: the run is starting
    await m.stop(run.id);
    await m.idle();
    const stored = await store.getRun(run.id);
    expect(stored.status).toBe('stopped');
    const terminal = (await store.readEvents(run.id)).filter(isTerminal);
    expect(terminal.map((e) => e.kind)).toEqual(['stopped']);
  });

  it('refuses to resume a run that is not stopped, interrupted or failed', async () => {
    const m = manager(scriptLauncher('polite'), []);
    const run = await queuedRun();
    m.enqueue(run);
    await m.idle();
    expect((await store.getRun(run.id)).status).toBe('completed');
    await expect(m.resume(run.id)).rejects.toThrow(
      /completed; only stopped, interrupted or failed/,
    );
  });
});
