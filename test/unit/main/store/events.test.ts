import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainerEvent } from '../../../../main/api/events.js';
import { RunStore } from '../../../../main/store/index.js';
import { environment, newExperiment, tempStore, variant, type TempStore } from './store-fixture.js';

let t: TempStore;
let runId: string;
let eventsFile: string;
beforeEach(async () => {
  t = await tempStore();
  const experiment = await t.store.createExperiment(newExperiment());
  runId = (
    await t.store.createRun(experiment, { variant: variant('bn-none'), seed: 1, environment })
  ).id;
  eventsFile = path.join(t.store.runDir(runId), 'events.jsonl');
});
afterEach(() => t.cleanup());

const progress = (batch: number): TrainerEvent => ({
  kind: 'progress',
  time: 1000 + batch,
  epoch: 1,
  batch,
  batchesPerEpoch: 10,
  loss: 2.3,
  accuracy: 0.1,
  imagesPerSecond: 100,
});
const epoch = (n: number): TrainerEvent => ({
  kind: 'epoch',
  time: 5000 + n,
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss: 1.1,
  valAccuracy: 0.45,
  learningRate: 0.01,
  durationMs: 900,
  imagesPerSecond: 120,
});
const onDisk = async () => (await readFile(eventsFile, 'utf8')).split('\n').filter(Boolean).length;

describe('events.jsonl', () => {
  it('buffers progress and writes everything at the end of an epoch', async () => {
    await t.store.appendEvents(runId, [progress(1), progress(2)]);
    expect(await onDisk()).toBe(0);
    await t.store.appendEvents(runId, [epoch(1)]);
    expect(await onDisk()).toBe(3);
    await t.store.appendEvents(runId, [progress(3)]);
    // Reading through the store includes what is still buffered, in order.
    const events = await t.store.readEvents(runId);
    expect(events.map((e) => e.kind)).toEqual(['progress', 'progress', 'epoch', 'progress']);
    expect(await t.store.readEvents(runId, ['epoch'])).toEqual([epoch(1)]);
  });

  it('skips a torn last line with a warning, then repairs it before appending', async () => {
    await t.store.appendEvents(runId, [epoch(1)]);
    await appendFile(eventsFile, JSON.stringify(epoch(2)).slice(0, 40));
    // A second store on the same home, as after a restart.
    const fresh = new RunStore(t.home, { onWarning: (m) => t.warnings.push(m) });
    expect(await fresh.readEvents(runId)).toEqual([epoch(1)]);
    expect(t.warnings.join('\n')).toMatch(/events\.jsonl: skipped a torn last line 2/);
    await fresh.appendEvents(runId, [epoch(2)]);
    expect(await fresh.readEvents(runId)).toEqual([epoch(1), epoch(2)]);
    expect(t.warnings.join('\n')).toMatch(/dropped a torn last line/);
  });

  it('repairs a torn line longer than the read-back window, and a file that is only a torn line', async () => {
    await t.store.appendEvents(runId, [epoch(1)]);
    await appendFile(
      eventsFile,
      `{"kind":"log","time":1,"level":"info","message":"${'x'.repeat(200_000)}`,
    );
    const fresh = new RunStore(t.home, { onWarning: (m) => t.warnings.push(m) });
    await fresh.appendEvents(runId, [epoch(2)]);
    expect(await fresh.readEvents(runId)).toEqual([epoch(1), epoch(2)]);

    await writeFile(eventsFile, '{"kind":"epo');
    const another = new RunStore(t.home, { onWarning: (m) => t.warnings.push(m) });
    expect(await another.readEvents(runId)).toEqual([]);
    await another.appendEvents(runId, [epoch(1)]);
    expect(await readFile(eventsFile, 'utf8')).toBe(`${JSON.stringify(epoch(1))}\n`);
  });

  it('skips an invalid line in the middle, naming it, and keeps the rest (issue 10, defect 6)', async () => {
    await writeFile(
      eventsFile,
      [JSON.stringify(epoch(1)), '{"kind":"epoch","time":1}', JSON.stringify(epoch(2)), ''].join(
        '\n',
      ),
    );
    expect(await t.store.readEvents(runId)).toEqual([epoch(1), epoch(2)]);
    expect(t.warnings.at(-1)).toMatch(/events\.jsonl:2: skipped an invalid epoch event: epoch: /);
    await writeFile(
      eventsFile,
      [JSON.stringify(epoch(1)), 'garbage\u0000', JSON.stringify(epoch(2)), ''].join('\n'),
    );
    expect(await t.store.readEvents(runId)).toEqual([epoch(1), epoch(2)]);
    expect(t.warnings.at(-1)).toMatch(
      /events\.jsonl:2: skipped a line that is not valid JSON \(unexpected character 'g'\)$/,
    );
  });

  it('refuses events for a run that does not exist', async () => {
    await expect(
      t.store.appendEvents('20261129-031500-x--y--s1', [epoch(1)]),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
