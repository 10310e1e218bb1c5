import { describe, expect, it, vi } from 'vitest';
import { RunConfig } from '../../../../main/api/config.js';
import type { TrainerEvent } from '../../../../main/api/events.js';
import type { StartMessage } from '../../../../main/api/trainer-protocol.js';
import { superviseTrainer } from '../../../../main/lab/supervisor.js';
import { scriptLauncher } from '../../../helpers/script-launcher.js';

const start: StartMessage = {
  kind: 'start',
  config: RunConfig.parse({
    runId: 'r1',
    experimentId: 'e1',
    experimentName: 'exp',
    dataset: 'mnist',
    variant: { name: 'v' },
    seed: 1,
    training: {},
  }),
  runDir: '/tmp/unused',
  home: '/tmp/unused',
  resumeFromEpoch: 0,
};

function supervise(
  name: string,
  env: Record<string, string> = {},
  graceMs = 5_000,
  killGraceMs = 5_000,
) {
  const events: TrainerEvent[] = [];
  const run = superviseTrainer({
    launcher: scriptLauncher(name, env, { killGraceMs }),
    start,
    onEvent: (e) => events.push(e),
    graceMs,
  });
  return { run, events };
}

describe('superviseTrainer', () => {
  it('passes a well-behaved trainer’s events through, ending with its own terminal event', async () => {
    const { run, events } = supervise('polite');
    const terminal = await run.done;
    expect(terminal.kind).toBe('completed');
    expect(events.map((e) => e.kind)).toEqual(['epoch', 'epoch', 'completed']);
  });

  it('turns a crash into exactly one failed event that quotes the trainer’s stderr', async () => {
    const { run, events } = supervise('crash');
    const terminal = await run.done;
    expect(terminal.kind).toBe('failed');
    expect(terminal.kind === 'failed' && terminal.message).toMatch(
      /exited with code 1 without a final event: Error: CUDA_ERROR_OUT_OF_MEMORY while allocating 2\.0 GiB$/,
    );
    expect(events.filter((e) => e.kind === 'failed')).toHaveLength(1);
  });

  it('refuses a malformed message as a protocol error naming the field', async () => {
    const { run } = supervise('malformed');
    const terminal = await run.done;
    expect(terminal.kind).toBe('failed');
    expect(terminal.kind === 'failed' && terminal.message).toMatch(
      /malformed message.*trainAccuracy/,
    );
  });

  it('stops gracefully when the trainer honours stop, keeping its completed epochs', async () => {
    const { run, events } = supervise('polite', { POLITE_WAIT: '1' });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (events.length > 0) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    run.stop();
    const terminal = await run.done;
    expect(terminal).toMatchObject({ kind: 'stopped', epochsCompleted: 1 });
  });

  it('kills a trainer that ignores stop after the grace period, still ending as stopped', async () => {
    const { run } = supervise('stubborn', {}, 300);
    await new Promise((r) => setTimeout(r, 200));
    run.stop();
    expect((await run.done).kind).toBe('stopped');
  });

  it('does not kill a trainer that takes longer than the grace period to stop while it keeps reporting', async () => {
    // Stopping takes twice the grace period, with a message every 100 ms: slow, not stuck.
    const { run, events } = supervise('slow-stop', { SLOW_STOP_MS: '4000' }, 2_000);
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 60_000 });
    run.interrupt('the worker was closed');
    expect(await run.done).toMatchObject({
      kind: 'interrupted',
      reason: 'the worker was closed',
    });
    expect(events.filter((e) => e.kind === 'log').length).toBeGreaterThan(20);
  });

  it('interrupts a trainer whose lab closes: it stops after its batch, the run ends interrupted with the reason', async () => {
    const { run, events } = supervise('polite', { POLITE_WAIT: '1' });
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
    run.interrupt('the app was quit while the run was training');
    expect(await run.done).toEqual({
      kind: 'interrupted',
      time: expect.any(Number) as unknown,
      epochsCompleted: 1,
      reason: 'the app was quit while the run was training',
    });
    expect(events.map((e) => e.kind)).toEqual(['epoch', 'interrupted']);
  });

  it('kills a trainer that ignores stop and SIGTERM after the grace periods, naming the signal', async () => {
    const { run, events } = supervise('deaf', {}, 200, 300);
    // Started (its SIGTERM handler installed) once it has said so.
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
    const asked = Date.now();
    run.interrupt('the lab was closed');
    const terminal = await run.done;
    expect(Date.now() - asked).toBeGreaterThanOrEqual(450);
    expect(terminal).toMatchObject({
      kind: 'interrupted',
      reason: 'the lab was closed; the trainer did not stop in time and was killed (SIGKILL)',
    });
  });

  it('reports a trainer killed by a signal nobody here sent (the OOM killer) as interrupted, naming it', async () => {
    const { run, events } = supervise('stubborn');
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
    process.kill(run.pid ?? -1, 'SIGKILL');
    expect(await run.done).toMatchObject({
      kind: 'interrupted',
      reason: 'the trainer was killed by SIGKILL (the system may have run out of memory)',
    });
  });

  it('reports a trainer that cannot be started as failed', async () => {
    const events: TrainerEvent[] = [];
    const run = superviseTrainer({
      launcher: () => {
        throw new Error('spawn ENOENT');
      },
      start,
      onEvent: (e) => events.push(e),
    });
    expect(await run.done).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('ENOENT') as unknown,
    });
    expect(events).toHaveLength(1);
  });
});
