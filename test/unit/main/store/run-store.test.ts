import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExperimentSpec, StoredExperimentSpec } from '../../../../main/api/config.js';
import type { ExperimentRecord } from '../../../../main/api/records.js';
import { RunStore, StoreError } from '../../../../main/store/index.js';
import { environment, newExperiment, tempStore, variant, type TempStore } from './store-fixture.js';

let t: TempStore;
beforeEach(async () => {
  t = await tempStore({ now: () => new Date('2026-11-29T03:15:00.123Z') });
});
afterEach(() => t.cleanup());

async function experimentWithRuns(name = 'bn-simple'): Promise<ExperimentRecord> {
  const experiment = await t.store.createExperiment(newExperiment(name));
  for (const v of ['bn-none', 'bn-before']) {
    for (const seed of [1, 2])
      await t.store.createRun(experiment, { variant: variant(v), seed, environment });
  }
  return t.store.getExperiment(experiment.id);
}

describe('experiments', () => {
  it('get readable unique ids and keep their runs in creation order', async () => {
    const a = await experimentWithRuns();
    const b = await t.store.createExperiment(newExperiment());
    expect(a.id).toBe('20261129-031500-bn-simple');
    expect(b.id).toBe('20261129-031500-bn-simple-2');
    expect(a.runIds).toEqual([
      '20261129-031500-bn-simple--bn-none--s1',
      '20261129-031500-bn-simple--bn-none--s2',
      '20261129-031500-bn-simple--bn-before--s1',
      '20261129-031500-bn-simple--bn-before--s2',
    ]);
    expect((await t.store.listExperiments()).map((e) => e.id)).toEqual([a.id, b.id]);
    expect((await t.store.listRuns()).map((r) => r.id)).toEqual(a.runIds);
    const run = await t.store.getRun(a.runIds[0]!);
    expect(run).toMatchObject({
      status: 'queued',
      experimentName: 'bn-simple',
      dataset: 'mnist',
      epochsCompleted: 0,
    });
    expect(
      JSON.parse(await readFile(path.join(t.home, 'experiments', `${a.id}.json`), 'utf8')),
    ).toEqual(a);
  });

  it('deleting an experiment deletes its runs and nothing else', async () => {
    const a = await experimentWithRuns('first');
    const b = await experimentWithRuns('second');
    await t.store.deleteExperiment(a.id);
    await expect(t.store.getExperiment(a.id)).rejects.toMatchObject({ code: 'not-found' });
    expect((await t.store.listRuns()).map((r) => r.id)).toEqual(b.runIds);
    expect(await readdir(path.join(t.home, 'runs'))).toEqual([...b.runIds].sort());
  });

  it('deleting experiment e keeps the runs of e- made in the same second (issue 10, defect 2)', async () => {
    // `e-` is no longer a valid name, but records written before the rule still hold such names.
    const legacy = (name: string) => ({
      ...newExperiment('e'),
      name,
      spec: StoredExperimentSpec.parse({ name, variants: [{ name: 'v' }] }),
    });
    const e = await t.store.createExperiment(legacy('e'));
    const eDash = await t.store.createExperiment(legacy('e-'));
    await t.store.createRun(e, { variant: variant('v'), seed: 1, environment });
    const kept = await t.store.createRun(eDash, { variant: variant('v'), seed: 1, environment });
    expect(kept.id).toBe('20261129-031500-e---v--s1');
    await t.store.deleteExperiment(e.id);
    expect(await readdir(path.join(t.home, 'runs'))).toEqual([kept.id]);
    expect((await t.store.getExperiment(eDash.id)).runIds).toEqual([kept.id]);
    // A corrupt run.json: the run is found by its id alone, and only its own experiment changes.
    await writeFile(path.join(t.home, 'runs', kept.id, 'run.json'), '{');
    await t.store.deleteRun(kept.id);
    expect((await t.store.getExperiment(eDash.id)).runIds).toEqual([]);
  });

  it('a corrupt experiment file hides that experiment only, named once in a warning', async () => {
    const kept = await experimentWithRuns('kept');
    const broken = await experimentWithRuns('broken');
    const file = path.join(t.home, 'experiments', `${broken.id}.json`);
    await writeFile(file, '{"schemaVersion": 1, "id": 7}');
    expect((await t.store.listExperiments()).map((e) => e.id)).toEqual([kept.id]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toContain(file);
    await expect(t.store.getExperiment(broken.id)).rejects.toThrow(file);
    // Its runs are still readable (they hold their own config), and the other experiment is whole.
    expect((await t.store.listRuns()).map((r) => r.id).sort()).toEqual(
      [...kept.runIds, ...broken.runIds].sort(),
    );
    expect((await t.store.getExperiment(kept.id)).runIds).toEqual(kept.runIds);
  });

  it('refuses new names that end in "-" or hold "--", before anything is created', () => {
    for (const name of ['e-', 'e--x', '-e']) {
      expect(ExperimentSpec.safeParse({ name, variants: [{ name: 'v' }] }).success).toBe(false);
      expect(ExperimentSpec.safeParse({ name: 'e', variants: [{ name }] }).success).toBe(false);
    }
    expect(ExperimentSpec.safeParse({ name: 'e-2.x_y', variants: [{ name: 'a-b' }] }).success).toBe(
      true,
    );
  });

  it('updates with a patch and refuses a patch that breaks the schema, naming the field', async () => {
    const a = await experimentWithRuns();
    const updated = await t.store.updateExperiment(a.id, { preset: null });
    expect(updated.preset).toBeNull();
    expect(updated.id).toBe(a.id);
    await expect(t.store.updateRun(a.runIds[0]!, { epochsCompleted: -1 })).rejects.toThrow(
      /epochsCompleted/,
    );
    expect((await t.store.getRun(a.runIds[0]!)).epochsCompleted).toBe(0);
  });
});

describe('runs', () => {
  it('are updated atomically and concurrent patches are not lost', async () => {
    const a = await experimentWithRuns();
    const id = a.runIds[0]!;
    await Promise.all([
      t.store.updateRun(id, (r) => ({ ...r, epochsCompleted: r.epochsCompleted + 1 })),
      t.store.updateRun(id, (r) => ({ ...r, epochsCompleted: r.epochsCompleted + 1 })),
      t.store.updateRun(id, { status: 'running', pid: 123 }),
    ]);
    expect(await t.store.getRun(id)).toMatchObject({
      epochsCompleted: 2,
      status: 'running',
      pid: 123,
    });
    // Only run.json and events.jsonl: no temp files left behind by the atomic writes.
    expect((await readdir(t.store.runDir(id))).sort()).toEqual(['events.jsonl', 'run.json']);
  });

  it('a corrupt run.json is an error naming the file and field, and list skips it with a warning', async () => {
    const a = await experimentWithRuns();
    const bad = a.runIds[1]!;
    const file = path.join(t.store.runDir(bad), 'run.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...json, status: 'exploded' }));
    await expect(t.store.getRun(bad)).rejects.toThrow(
      new RegExp(`${bad}/run\\.json is invalid: status`),
    );
    const listed = await t.store.listRuns();
    expect(listed.map((r) => r.id)).toEqual(a.runIds.filter((id) => id !== bad));
    expect(t.warnings.join('\n')).toMatch(
      /skipped run .*--bn-none--s2: .*run\.json is invalid: status/,
    );
    await writeFile(file, '{"schemaVersion": 1, "id": ');
    await expect(t.store.getRun(bad)).rejects.toThrow(/run\.json is not valid JSON/);
  });

  it('deleting a run removes its folder and its id from the experiment', async () => {
    const a = await experimentWithRuns();
    await t.store.deleteRun(a.runIds[2]!);
    expect((await t.store.getExperiment(a.id)).runIds).toEqual([
      a.runIds[0],
      a.runIds[1],
      a.runIds[3],
    ]);
    await expect(t.store.getRun(a.runIds[2]!)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses ids that are not ids before touching a path', async () => {
    for (const id of [
      '../../etc/passwd',
      '20261129-031500-x/../..',
      '',
      'RUN',
      '20261129-031500-a--b--s1/x',
    ]) {
      await expect(t.store.getRun(id)).rejects.toBeInstanceOf(StoreError);
      await expect(t.store.getRun(id)).rejects.toMatchObject({ code: 'invalid-params' });
      await expect(t.store.readEvents(id)).rejects.toMatchObject({ code: 'invalid-params' });
    }
    await expect(t.store.getExperiment('../x')).rejects.toMatchObject({ code: 'invalid-params' });
    expect(() => t.store.runDir('a/b')).toThrow(/not a run id/);
  });

  it('an empty home lists nothing', async () => {
    const store = new RunStore(path.join(t.home, 'nowhere'));
    expect(await store.listRuns()).toEqual([]);
    expect(await store.listExperiments()).toEqual([]);
    expect(await store.recoverInterrupted()).toEqual([]);
  });
});
