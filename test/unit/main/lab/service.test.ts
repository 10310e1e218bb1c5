import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExperimentSpec } from '../../../../main/api/config.js';
import type { LabPush } from '../../../../main/api/contract.js';
import type { EventOf } from '../../../../main/api/events.js';
import { symlogEdges, SYMLOG_BIN_COUNT } from '../../../../main/api/histogram.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab } from '../../../../main/lab/types.js';
import { callLab } from '../../../../main/cli/call.js';
import { tinyExperiment } from '../../../helpers/tiny-experiment.js';

let home: string;
let lab: Lab;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'bnlab-lab-'));
  lab = await createLab({ home, mode: 'cli', pushIntervalMs: 0, parallel: 1 });
});
afterEach(async () => {
  await lab.close();
  await rm(home, { recursive: true, force: true });
});

describe('lab service', () => {
  it('trains every variant, records both in the store, and their probes overlay on one axis', async () => {
    const spec = ExperimentSpec.parse(tinyExperiment());
    const pushes: LabPush[] = [];
    lab.subscribe((p) => pushes.push(p));
    const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'auto' });
    expect(runs.map((r) => r.status)).toEqual(['queued', 'queued']);
    await lab.idle();

    const stored = await callLab(lab, 'runs.list', {});
    expect(stored.map((r) => [r.variant.name, r.status, r.epochsCompleted])).toEqual([
      ['no-bn', 'completed', 2],
      ['bn-before', 'completed', 2],
    ]);
    expect(stored[0]?.backend?.name).toMatch(/wasm|cpu|tensorflow/);
    expect(pushes.some((p) => p.name === 'run.events')).toBe(true);

    // The same layer of both variants, at the last epoch, from what the store kept.
    const last = async (id: string) => {
      const probes = (await callLab(lab, 'runs.events', {
        id,
        kinds: ['probe'],
      })) as EventOf<'probe'>[];
      const probe = probes.filter((p) => p.epochEnd).at(-1);
      const layer = probe?.layers.find((l) => l.layer === 'conv1');
      if (!layer) throw new Error(`no conv1 probe for ${id}`);
      return layer;
    };
    const [a, b] = await Promise.all(stored.map((r) => last(r.id)));
    const edges = symlogEdges();
    for (const layer of [a!, b!]) {
      expect(layer.pre.scheme).toBe('symlog-v1');
      expect(layer.pre.counts).toHaveLength(SYMLOG_BIN_COUNT);
      expect(edges).toHaveLength(layer.pre.counts.length + 1);
      const inBins = layer.pre.counts.reduce((s, c) => s + c, 0);
      expect(inBins + layer.pre.underflow + layer.pre.overflow).toBe(layer.pre.total);
      expect(layer.pre.total).toBeGreaterThan(0);
    }
    // BN normalises the pre-activations: its spread differs from the un-normalised twin.
    expect(a!.preStats.std).not.toBeCloseTo(b!.preStats.std, 3);
  });

  it('keeps completed epochs when the trainer is SIGKILLed, marks the run interrupted, and resume finishes it', async () => {
    const spec = ExperimentSpec.parse(
      tinyExperiment({ training: { epochs: 8, batchSize: 16, trainSubset: 512 } }, [
        { name: 'solo', width: 0.0625 },
      ]),
    );
    const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'auto' });
    const id = runs[0]!.id;
    let killed = false;
    lab.subscribe((push) => {
      if (killed || push.name !== 'run.events') return;
      if (push.payload.events.some((e) => e.kind === 'epoch' && e.epoch === 1)) {
        killed = true;
        void callLab(lab, 'runs.get', { id }).then((run) => {
          if (run.pid) process.kill(run.pid, 'SIGKILL');
        });
      }
    });
    await lab.idle();
    const interrupted = await callLab(lab, 'runs.get', { id });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.epochsCompleted).toBeGreaterThanOrEqual(1);
    expect(interrupted.epochsCompleted).toBeLessThan(8);
    const kept = await callLab(lab, 'runs.events', { id, kinds: ['epoch'] });
    expect(kept).toHaveLength(interrupted.epochsCompleted);

    const resumed = await callLab(lab, 'runs.resume', { id });
    expect(resumed.status).toBe('queued');
    await lab.idle();
    const done = await callLab(lab, 'runs.get', { id });
    expect(done.status).toBe('completed');
    expect(done.epochsCompleted).toBe(8);
    const epochs = (await callLab(lab, 'runs.events', {
      id,
      kinds: ['epoch'],
    })) as EventOf<'epoch'>[];
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses an invalid experiment with the field named, and creates no run', async () => {
    const bad = tinyExperiment({}, [{ name: 'x', bn: 'sideways' } as never]);
    await expect(
      callLab(lab, 'experiments.create', { spec: bad, backend: 'auto' }),
    ).rejects.toThrow(/variants\.0\.bn/);
    expect(await callLab(lab, 'runs.list', {})).toEqual([]);
    expect(await readdir(home)).not.toContain('runs');
  });

  it('refuses CIFAR-10 experiments before creating anything when CIFAR-10 is not imported', async () => {
    await expect(
      callLab(lab, 'experiments.create', {
        preset: 'bn-simple',
        scale: 'quick',
        dataset: 'cifar10',
      }),
    ).rejects.toThrow(/cifar10 is not available.*bnlab data/);
    expect(await callLab(lab, 'experiments.list', {})).toEqual([]);
  });

  it('stops a queued run without starting it', async () => {
    const spec = ExperimentSpec.parse(tinyExperiment());
    const { runs } = await callLab(lab, 'experiments.create', { spec, backend: 'auto' });
    await callLab(lab, 'runs.stop', { id: runs[1]!.id });
    await lab.idle();
    const second = await callLab(lab, 'runs.get', { id: runs[1]!.id });
    expect(second.status).toBe('stopped');
    expect(second.startedAt).toBeNull();
    expect((await callLab(lab, 'runs.get', { id: runs[0]!.id })).status).toBe('completed');
  });
});
