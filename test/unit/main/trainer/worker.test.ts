import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../../../main/api/config.js';
import { TrainerEvent } from '../../../../main/api/events.js';
import type { StartMessage } from '../../../../main/api/trainer-protocol.js';
import { forkLauncher } from '../../../../main/trainer/launcher.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bnlab-worker-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

function start(epochs: number, runDir: string): StartMessage {
  return {
    kind: 'start',
    config: RunConfig.parse({
      runId: 'run-w',
      experimentId: 'exp-w',
      experimentName: 'exp',
      dataset: 'mnist',
      seed: 3,
      backend: 'wasm',
      variant: { name: 'tiny', width: 0.125 },
      training: { epochs, batchSize: 32, trainSubset: 64, validationSubset: 32, probeImages: 16 },
    }),
    runDir,
    home,
    resumeFromEpoch: 0,
  };
}

/** Runs the real worker process; `onEvent` may send messages to it. */
function drive(
  first: unknown,
  onEvent: (event: TrainerEvent, send: (m: unknown) => void) => void = () => {},
): Promise<{ events: TrainerEvent[]; code: number | null }> {
  const child = forkLauncher({});
  const events: TrainerEvent[] = [];
  return new Promise((resolve) => {
    child.onMessage((raw) => {
      const event = TrainerEvent.parse(raw);
      events.push(event);
      onEvent(event, (m) => child.send(m));
    });
    child.onExit((code) => resolve({ events, code }));
    child.send(first);
  });
}

describe('trainer worker process', () => {
  it('trains a run from a start message and exits 0 after the terminal event', async () => {
    const runDir = path.join(home, 'runs', 'a');
    const { events, code } = await drive(start(1, runDir));
    expect(events.map((e) => e.kind).filter((k) => k !== 'progress')).toEqual([
      'started',
      'epoch',
      'probe',
      'completed',
    ]);
    expect(events[0]).toMatchObject({
      kind: 'started',
      backend: { name: 'wasm' },
      dataset: { name: 'mnist', trainCount: 64 },
    });
    expect(code).toBe(0);
    expect(await readdir(path.join(runDir, 'checkpoints'))).toEqual(['epoch-1']);
  });

  it('stops after the current batch when asked, mid-epoch', async () => {
    const message = start(50, path.join(home, 'runs', 'b'));
    message.config.training = {
      ...message.config.training,
      trainSubset: 2048,
      batchSize: 16,
      progressIntervalMs: 0,
    };
    let stopSentAt = -1;
    const { events, code } = await drive(message, (event, send) => {
      if (event.kind === 'progress' && stopSentAt < 0) {
        stopSentAt = event.batch;
        send({ kind: 'stop' });
      }
    });
    expect(events.at(-1)).toMatchObject({ kind: 'stopped', epochsCompleted: 0 });
    // The stop arrived while epoch 1 (128 batches) was training, and ended it within a few batches (IPC latency under load allowed for).
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(0);
    const lastBatch = events.filter((e) => e.kind === 'progress').at(-1);
    expect(lastBatch?.kind === 'progress' && lastBatch.batch).toBeLessThan(stopSentAt + 20);
    expect(code).toBe(0);
  });

  it('treats SIGTERM (bnlab stop from another process) as a graceful stop', async () => {
    const { events, code } = await drive(start(50, path.join(home, 'runs', 'd')), (event) => {
      if (event.kind === 'started') process.kill(event.pid, 'SIGTERM');
    });
    expect(events.at(-1)?.kind).toBe('stopped');
    expect(code).toBe(0);
  });

  it('answers a malformed start with a failed event naming the field, and exits non-zero', async () => {
    const bad = { ...start(1, path.join(home, 'runs', 'c')), resumeFromEpoch: -1 };
    const { events, code } = await drive(bad);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'failed' });
    expect(events[0]?.kind === 'failed' && events[0].message).toMatch(/resumeFromEpoch/);
    expect(code).toBe(1);
  });
});
