import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../../../main/lab/run-queue.js';

function job(id: string, log: string[], gate: Promise<void>) {
  return {
    id,
    run: async () => {
      log.push(`start ${id}`);
      await gate;
      log.push(`end ${id}`);
    },
    cancelled: () => log.push(`cancel ${id}`),
  };
}

describe('RunQueue', () => {
  it('runs one job at a time by default, in order', async () => {
    const log: string[] = [];
    const queue = new RunQueue(1);
    queue.enqueue(job('a', log, Promise.resolve()));
    queue.enqueue(job('b', log, Promise.resolve()));
    await queue.idle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('runs N jobs at once with parallel N', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new RunQueue(2);
    for (const id of ['a', 'b', 'c']) queue.enqueue(job(id, log, gate));
    await Promise.resolve();
    expect(log).toEqual(['start a', 'start b']);
    release();
    await queue.idle();
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(3);
  });

  it('cancels a queued job without running it', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new RunQueue(1);
    queue.enqueue(job('a', log, gate));
    queue.enqueue(job('b', log, gate));
    expect(queue.cancel('b')).toBe(true);
    expect(queue.cancel('a')).toBe(false);
    release();
    await queue.idle();
    expect(log).toEqual(['start a', 'cancel b', 'end a']);
  });
});
