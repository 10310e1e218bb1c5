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

  it('starts waiting jobs at once when slots are added, and lets running ones finish when removed', async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const gated = (id: string) => job(id, log, new Promise<void>((r) => gates.set(id, r)));
    const queue = new RunQueue(1);
    for (const id of ['a', 'b', 'c', 'd']) queue.enqueue(gated(id));
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    queue.setParallel(3);
    expect(log).toEqual(['start a', 'start b', 'start c']);
    queue.setParallel(1);
    gates.get('a')!();
    await new Promise((r) => setTimeout(r, 0));
    // Two still run, above the new limit of one: d waits until only zero run.
    expect(log).not.toContain('start d');
    gates.get('b')!();
    gates.get('c')!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toContain('start d');
    gates.get('d')!();
    await queue.idle();
    expect(() => queue.setParallel(0)).toThrow(/parallel must be ≥ 1, got 0/);
  });

  it("starts the queue's last jobs beside the running ones when the tail allows, and no others", async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const gated = (id: string) => job(id, log, new Promise<void>((r) => gates.set(id, r)));
    const settle = () => new Promise((r) => setTimeout(r, 0));
    // 2 slots, up to 3 at the end: 3 jobs all start (no core idles for the third).
    const three = new RunQueue(2, 3);
    for (const id of ['a', 'b', 'c']) three.enqueue(gated(id));
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    for (const id of ['a', 'b', 'c']) gates.get(id)!();
    await three.idle();
    // 5 jobs: 2 at once while more than the tail waits, then the last three side by side.
    log.length = 0;
    const five = new RunQueue(2, 3);
    for (const id of ['p', 'q', 'r', 's', 't']) five.enqueue(gated(id));
    await settle();
    expect(log).toEqual(['start p', 'start q']);
    gates.get('p')!();
    await settle();
    expect(log).toEqual(['start p', 'start q', 'end p', 'start r']);
    gates.get('q')!();
    await settle();
    expect(log.slice(4)).toEqual(['end q', 'start s', 'start t']);
    for (const id of ['r', 's', 't']) gates.get(id)!();
    await five.idle();
    // Cancelling a waiting job can bring the rest within the tail: they start.
    log.length = 0;
    const four = new RunQueue(2, 3);
    for (const id of ['w', 'x', 'y', 'z']) four.enqueue(gated(id));
    await settle();
    expect(log).toEqual(['start w', 'start x']);
    expect(four.cancel('z')).toBe(true);
    expect(log).toEqual(['start w', 'start x', 'cancel z', 'start y']);
    for (const id of ['w', 'x', 'y']) gates.get(id)!();
    await four.idle();
    expect(five.tailParallel).toBe(3);
    expect(() => five.setParallel(2, 1)).toThrow(
      /tail's runs at once must be an integer ≥ parallel \(2\), got 1/,
    );
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
