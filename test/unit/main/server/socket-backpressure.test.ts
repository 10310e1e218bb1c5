/**
 * A client that sends calls and never reads the replies (issue 10, defect 4): replies count
 * against the same bound as pushes, so the server drops that connection instead of growing.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LabHandlers } from '../../../../main/api/contract.js';
import { MAX_BUFFERED_BYTES } from '../../../../main/server/connection.js';
import { startServer, type RunningServer } from '../../../../main/server/server.js';
import { frame, openRaw } from './raw-socket.js';
import { createStubLab } from './stub-lab.js';
import { expectServerAnswers } from './ws-call.js';

const REPLY_BYTES = 256 * 1024;
const CALLS = 200; // 50 MB of replies: three times the bound, far more than socket buffers hold

let root: string;
let server: RunningServer;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bnlab-slow-'));
  const staticDir = path.join(root, 'renderer');
  await mkdir(staticDir, { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>lab</title>');
  const stub = createStubLab(path.join(root, 'home'));
  const big = 'e'.repeat(REPLY_BYTES);
  const handlers = Object.assign(Object.create(stub.handlers) as LabHandlers, {
    'runs.events': () => Promise.resolve([big]),
  });
  server = await startServer({ lab: { ...stub, handlers }, staticDir });
});

afterEach(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

it('drops a connection whose replies pile up unread, and keeps serving others', async () => {
  const raw = await openRaw(server.port, server.token);
  raw.socket.pause(); // never read: the replies stay with the server
  for (let id = 1; id <= CALLS; id++) {
    const call = { type: 'call', id, method: 'runs.events', params: { id: 'r' } };
    raw.socket.write(frame(Buffer.from(JSON.stringify(call))));
  }
  // Then read as a stuck tab does, a chunk now and then (one socket read every 50 ms, about
  // 1 MB/s at most): slower than the server answers on any machine, however loaded, so its unsent
  // replies reach the bound whenever it gets to them; no fixed wait decides the outcome.
  let receivedBytes = 0;
  raw.socket.on('data', (chunk: Buffer) => {
    receivedBytes += chunk.length;
    raw.socket.pause();
  });
  const trickle = setInterval(() => raw.socket.resume(), 50);
  const closedInTime = await Promise.race([
    raw.closed.then(() => true),
    // Not a timing goal: a server that never drops the reader would read everything in ~50 s.
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 240_000)),
  ]);
  clearInterval(trickle);
  raw.socket.destroy();
  expect(closedInTime).toBe(true);
  expect(receivedBytes).toBeLessThan(CALLS * REPLY_BYTES);
  expect(MAX_BUFFERED_BYTES).toBeLessThan(CALLS * REPLY_BYTES);
  await expectServerAnswers(server);
});
