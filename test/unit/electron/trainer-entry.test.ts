import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../../main/api/config.js';
import { TrainerEvent } from '../../../main/api/events.js';

const host = fileURLToPath(new URL('./fixtures/parent-port-host.ts', import.meta.url));
let home: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'bnlab-trainer-entry-'));
});
afterAll(async () => {
  // A hung worker (a lost start message) must not outlive the test.
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(home, { recursive: true, force: true });
});

describe('trainer entry of the utility process', () => {
  // The lab sends `start` right after forking, while the worker module is still loading.
  it('runs the real worker over process.parentPort: trains, reports, exits 0', async () => {
    const runDir = path.join(home, 'runs', 'a');
    const running = spawn(process.execPath, ['--import', 'tsx', host], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child = running;
    const events: TrainerEvent[] = [];
    const { stdout, stdin } = running;
    createInterface({ input: stdout }).on('line', (line) => {
      events.push(TrainerEvent.parse(JSON.parse(line)));
    });
    const start = {
      kind: 'start',
      config: RunConfig.parse({
        runId: 'run-e',
        experimentId: 'exp-e',
        experimentName: 'entry',
        dataset: 'mnist',
        seed: 5,
        backend: 'wasm',
        variant: { name: 'tiny', width: 0.125 },
        training: {
          epochs: 1,
          batchSize: 32,
          trainSubset: 64,
          validationSubset: 32,
          probeImages: 16,
        },
      }),
      runDir,
      home,
      resumeFromEpoch: 0,
    };
    stdin.write(`${JSON.stringify(start)}\n`);
    const code = await new Promise<number | null>((resolve) => running.once('exit', resolve));
    expect(events.map((e) => e.kind).filter((k) => k !== 'progress')).toEqual([
      'started',
      'epoch',
      'probe',
      'completed',
    ]);
    expect(code).toBe(0);
    expect(await readdir(path.join(runDir, 'checkpoints'))).toEqual(['epoch-1']);
  });
});
