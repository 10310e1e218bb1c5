/**
 * A client that floods calls the lab is slow to answer (issue 10, defect 4's other half): at most
 * MAX_CALLS_IN_FLIGHT of one connection's calls run at once, so pending handlers and their
 * replies cannot grow without bound; every call is still answered.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LabHandlers } from '../../../../main/api/contract.js';
import { MAX_CALLS_IN_FLIGHT } from '../../../../main/server/connection.js';
import { ServerFrame } from '../../../../main/server/protocol.js';
import { startServer, type RunningServer } from '../../../../main/server/server.js';
import { createStubLab } from './stub-lab.js';
import { openClient } from './ws-call.js';

const CALLS = 500;

let root: string;
let server: RunningServer;
let running = 0;
let mostRunning = 0;
const waiting: (() => void)[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-calls-'));
  const staticDir = path.join(root, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  const stub = createStubLab(path.join(root, 'home'));
  // A slow lab: a call ends only when the test lets it, the oldest first, and only once
  // the connection has had the chance to start more than it should.
  const handlers = Object.assign(Object.create(stub.handlers) as LabHandlers, {
    'runs.events': () =>
      new Promise<[]>((resolve) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        waiting.push(() => {
          running -= 1;
          resolve([]);
        });
        setImmediate(() => setImmediate(() => waiting.shift()?.()));
      }),
  });
  server = await startServer({ lab: { ...stub, handlers }, staticDir });
});

afterEach(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

it('runs at most MAX_CALLS_IN_FLIGHT calls of one connection at once, and answers them all', async () => {
  const ws = await openClient(server);
  const answered = new Set<number>();
  const all = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => {
      const reply = ServerFrame.parse(JSON.parse(data.toString()));
      if (reply.type === 'result' && typeof reply.id === 'number') answered.add(reply.id);
      if (answered.size === CALLS) resolve();
    }),
  );
  // In one burst, so the server reads many calls before it can pause reading.
  const frames = Array.from({ length: CALLS }, (_, i) =>
    JSON.stringify({ type: 'call', id: i + 1, method: 'runs.events', params: { id: 'r' } }),
  );
  for (const f of frames) ws.send(f);
  await all;
  expect(answered.size).toBe(CALLS);
  expect(mostRunning).toBeGreaterThan(1);
  expect(mostRunning).toBeLessThanOrEqual(MAX_CALLS_IN_FLIGHT);
  ws.terminate();
});
