/**
 * The Settings view's "runs at once on this machine": saved in the lab home, applied to the lab's
 * queue without a restart (lab.info and the status bar say so and why), read back by a new lab,
 * cleared back to the machine's default; `--parallel` (and BNLAB_PARALLEL) still win over it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callLab } from '../../../../main/cli/call.js';
import { machineParallelism } from '../../../../main/lab/parallelism.js';
import { createLab } from '../../../../main/lab/service.js';
import type { Lab, LabOptions } from '../../../../main/lab/types.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'bnlab-runs-at-once-'));
  cleanups.push(() => rm(home, { recursive: true, force: true }));
  return home;
}

async function openLab(home: string, extra: Partial<LabOptions> = {}): Promise<Lab> {
  const lab = await createLab({
    home,
    mode: 'browser',
    settings: { readOnlyReason: null },
    ...extra,
  });
  cleanups.push(() => lab.close());
  return lab;
}

describe('runs at once, from the Settings view', () => {
  it('applies at once, persists, and goes back to the machine default when cleared', async () => {
    const machine = machineParallelism().parallel;
    const chosen = machine + 2;
    const home = await tempHome();
    const lab = await openLab(home);
    const before = await callLab(lab, 'settings.get', {});
    expect(before).toMatchObject({ runsAtOnce: null, machineRunsAtOnce: machine });
    expect(before.activeRunsAtOnce).toBe(machine);

    const saved = await callLab(lab, 'settings.set', {
      trainOn: 'local',
      redisUrl: null,
      runsAtOnce: chosen,
    });
    expect(saved).toMatchObject({ runsAtOnce: chosen, activeRunsAtOnce: chosen });
    const info = await callLab(lab, 'lab.info', {});
    expect(info.parallel).toBe(chosen);
    expect(info.parallelReason).toMatch(/^set in Settings \(the machine alone would run \d+\)$/);
    const file = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8')) as {
      runsAtOnce: number;
    };
    expect(file.runsAtOnce).toBe(chosen);

    // Saving the Redis part without the field keeps the number.
    await callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: null });
    await lab.close();
    const reopened = await openLab(home);
    expect((await callLab(reopened, 'lab.info', {})).parallel).toBe(chosen);

    await callLab(reopened, 'settings.set', { trainOn: 'local', redisUrl: null, runsAtOnce: null });
    const cleared = await callLab(reopened, 'lab.info', {});
    expect(cleared.parallel).toBe(machine);
    expect(cleared.parallelReason).not.toMatch(/Settings/);
  });

  it('refuses a number outside 1–64 and changes nothing', async () => {
    const home = await tempHome();
    const lab = await openLab(home);
    for (const runsAtOnce of [0, 65, 1.5]) {
      await expect(
        callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: null, runsAtOnce }),
      ).rejects.toThrow(/runsAtOnce/);
    }
    expect((await callLab(lab, 'settings.get', {})).runsAtOnce).toBeNull();
  });

  it('is saved but does not apply while --parallel decides for the session', async () => {
    const home = await tempHome();
    const lab = await openLab(home, { parallel: 1 });
    await callLab(lab, 'settings.set', { trainOn: 'local', redisUrl: null, runsAtOnce: 5 });
    const info = await callLab(lab, 'lab.info', {});
    expect(info.parallel).toBe(1);
    expect(info.parallelReason).toBe('set by --parallel');
    expect((await callLab(lab, 'settings.get', {})).runsAtOnce).toBe(5);
  });
});
