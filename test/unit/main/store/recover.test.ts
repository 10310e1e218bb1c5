import { fork, spawn, type ChildProcess } from 'node:child_process';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../main/api/records.js';
import { QUEUE_GONE_REASON, RunStore, TRAINER_GONE_REASON } from '../../../../main/store/index.js';
import { environment, newExperiment, tempStore, variant, type TempStore } from './store-fixture.js';

let t: TempStore;
let runs: RunRecord[];
const children: ChildProcess[] = [];
beforeEach(async () => {
  t = await tempStore();
  const experiment = await t.store.createExperiment(newExperiment());
  runs = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    runs.push(
      await t.store.createRun(experiment, { variant: variant('bn-none'), seed, environment }),
    );
  }
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await t.cleanup();
});

/** A process that stays alive until the test ends. */
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('recoverInterrupted', () => {
  it('interrupts runs whose process is gone or is not theirs, and leaves live ones alone', async () => {
    const [deadTrainer, liveTrainer, reusedPid, liveQueue, deadQueue] = runs.map((r) => r.id) as [
      string,
      string,
      string,
      string,
      string,
    ];
    await t.store.updateRun(deadTrainer, {
      status: 'running',
      pid: await deadPid(),
      epochsCompleted: 3,
    });
    await t.store.updateRun(liveTrainer, { status: 'running', pid: sleeper().pid! });
    // A live process that started an hour after run.json was last written cannot be its trainer.
    await t.store.updateRun(reusedPid, { status: 'running', pid: sleeper().pid! });
    const anHourAgo = new Date(Date.now() - 3600_000);
    await utimes(path.join(t.store.runDir(reusedPid), 'run.json'), anHourAgo, anHourAgo);
    // liveQueue: queued by this process (createRun records our pid); deadQueue: by a lab that is gone.
    await t.store.updateRun(deadQueue, { pid: await deadPid() });
    const completed = await t.store.createRun(await t.store.getExperiment(runs[0]!.experimentId), {
      variant: variant('bn-before'),
      seed: 1,
      environment,
    });
    await t.store.updateRun(completed.id, { status: 'completed', pid: null });

    const recovered = await new RunStore(t.home, {
      onWarning: (m) => t.warnings.push(m),
    }).recoverInterrupted();
    expect(recovered.map((r) => r.id).sort()).toEqual([deadTrainer, reusedPid, deadQueue].sort());
    expect(await t.store.getRun(deadTrainer)).toMatchObject({
      status: 'interrupted',
      pid: null,
      epochsCompleted: 3,
      error: TRAINER_GONE_REASON,
    });
    expect((await t.store.getRun(deadTrainer)).endedAt).not.toBeNull();
    expect(await t.store.readEvents(deadTrainer)).toMatchObject([
      { kind: 'interrupted', epochsCompleted: 3, reason: TRAINER_GONE_REASON },
    ]);
    expect(await t.store.getRun(deadQueue)).toMatchObject({
      status: 'interrupted',
      error: QUEUE_GONE_REASON,
    });
    expect((await t.store.getRun(liveTrainer)).status).toBe('running');
    expect((await t.store.getRun(liveQueue)).status).toBe('queued');
    expect((await t.store.getRun(completed.id)).status).toBe('completed');
    expect(await t.store.readEvents(liveTrainer)).toEqual([]);
  });

  it('after a SIGKILL keeps the completed epoch, loses only the unfinished one, and marks it interrupted', async () => {
    const id = runs[0]!.id;
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kill-writer.ts');
    const child = fork(script, [t.home, id], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.on('message', () => resolve());
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const store = new RunStore(t.home, { onWarning: (m) => t.warnings.push(m) });
    expect((await store.getRun(id)).status).toBe('running');
    await store.recoverInterrupted();
    expect(await store.getRun(id)).toMatchObject({ status: 'interrupted', epochsCompleted: 1 });
    expect((await store.readEvents(id)).map((e) => e.kind)).toEqual(['epoch', 'interrupted']);
  });
});
